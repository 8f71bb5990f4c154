package dev.relib.engine.unload;

import dev.relib.engine.agent.Agent;
import dev.relib.engine.model.AllocationStats;
import dev.relib.engine.model.FreedLeaks;
import dev.relib.engine.model.KeyCleanup;
import dev.relib.engine.model.LeakSummary;
import dev.relib.engine.model.LeakedMapping;
import dev.relib.engine.model.LiveBlock;
import dev.relib.engine.model.ModuleThread;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.model.UnloadStep.Outcome;
import dev.relib.engine.model.UnmappedMappings;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The steps only a tracked module has, in the order NATIVE-NOTES.md found to unload cleanly:
 * threads check, thread-local and key destructors, leak report and free, leaked mappings.
 */
final class TrackedSteps {

    private final Agent agent;
    private final int moduleId;

    TrackedSteps(Agent agent, int moduleId) {
        this.agent = agent;
        this.moduleId = moduleId;
    }

    /** The module's threads still running; a thread counts as finished once its key destructors ran. */
    List<ModuleThread> runningThreads() {
        if (agent.stats(moduleId).threadsRunning() == 0) {
            return List.of();
        }
        return agent.threads(moduleId).stream().filter(t -> t.state() == ModuleThread.State.RUNNING).toList();
    }

    static UnloadStep threadsPassed(AllocationStats stats) {
        return new UnloadStep("threads", Outcome.PASSED, stats.threadsStarted() == 0 ? "it started no threads"
                : "all " + stats.threadsStarted() + " thread" + plural(stats.threadsStarted()) + " it started have exited");
    }

    static UnloadStep threadsRefused(List<ModuleThread> running) {
        return new UnloadStep("threads", Outcome.FAILED, running.size() + " thread" + plural(running.size())
                + " still running (" + describe(running) + "); stop " + (running.size() == 1 ? "it" : "them")
                + ", then unload again");
    }

    static String describe(List<ModuleThread> threads) {
        return threads.stream().map(t -> (t.name() == null || t.name().isEmpty() ? "unnamed" : "'" + t.name() + "'")
                + " tid " + t.tid()).collect(Collectors.joining(", "));
    }

    AllocationStats stats() {
        return agent.stats(moduleId);
    }

    /** Runs this thread's kept thread-local destructors and key destructors; disables the rest. */
    UnloadStep runDestructors() {
        int tls = agent.runTlsDestructors(moduleId);
        KeyCleanup keys = agent.runKeyDestructorsAndDelete(moduleId);
        int disabled = agent.disableTlsDestructors(moduleId);
        return new UnloadStep("tls_destructors", Outcome.PASSED, "ran " + tls + " thread-local destructor" + plural(tls)
                + " and " + keys.destructorsRun() + " key destructor" + plural(keys.destructorsRun())
                + ", deleted " + keys.keysDeleted() + " pthread key" + plural(keys.keysDeleted())
                + (disabled == 0 ? "" : ", disabled " + disabled + " left on other threads"));
    }

    /** For a module whose code is gone: none of its destructors may run, anywhere, ever. */
    UnloadStep disableDestructors() {
        int disabled = agent.disableTlsDestructors(moduleId);
        return new UnloadStep("tls_destructors", Outcome.SKIPPED, "its code is gone, so none ran; disabled "
                + disabled + " thread-local destructor" + plural(disabled) + " (its pthread keys are deleted unrun)");
    }

    /** The leak report, taken before anything is freed. */
    LeakSummary leaks(boolean keep) {
        List<LiveBlock> blocks = agent.blocks(moduleId);
        List<LeakedMapping> mappings = agent.mappings(moduleId);
        long bytes = blocks.stream().mapToLong(LiveBlock::size).sum();
        long mappingBytes = mappings.stream().mapToLong(LeakedMapping::length).sum();
        List<LiveBlock> largest = blocks.stream()
                .sorted(Comparator.comparingLong(LiveBlock::size).reversed().thenComparingLong(LiveBlock::sequence))
                .limit(LeakSummary.LARGEST).toList();
        return new LeakSummary(blocks.size(), bytes, largest, mappings.size(), mappingBytes,
                !keep && (blocks.isEmpty() || agent.stats(moduleId).preloaded()));
    }

    UnloadStep freeLeaks(LeakSummary leaks, boolean keep, boolean strict) {
        if (leaks.blocks() == 0) {
            return new UnloadStep("free_leaks", Outcome.PASSED, "no live allocations");
        }
        String what = leaks.blocks() + " block" + plural(leaks.blocks()) + ", " + leaks.bytes() + " bytes";
        Outcome leaked = strict ? Outcome.FAILED : Outcome.WARNED;
        if (keep) {
            return new UnloadStep("free_leaks", leaked, "leaked " + what + "; kept (--keep-leaks)");
        }
        if (!agent.stats(moduleId).preloaded()) {
            return new UnloadStep("free_leaks", leaked, "leaked " + what + "; not freed: in-process, only the module's own"
                    + " frees are seen, so a block it handed to other code (or that libc reallocated) cannot be proven"
                    + " still its own; the worker (the default) sees every free and frees them"
                    + (strict ? " (--strict: a leak fails the check)" : ""));
        }
        FreedLeaks freed = agent.freeBlocks(moduleId);
        return new UnloadStep("free_leaks", leaked, "leaked " + what + "; freed " + freed.blocks() + " block"
                + plural(freed.blocks()) + ", " + freed.bytes() + " bytes" + (strict ? " (--strict: a leak fails the check)" : ""));
    }

    UnloadStep unmapLeaks(LeakSummary leaks, boolean keep, boolean strict) {
        if (leaks.mappings() == 0) {
            return new UnloadStep("unmap_leaks", Outcome.PASSED, "no leaked mappings");
        }
        String what = leaks.mappings() + " mapping" + plural(leaks.mappings()) + ", " + leaks.mappingBytes() + " bytes";
        Outcome leaked = strict ? Outcome.FAILED : Outcome.WARNED;
        if (keep) {
            return new UnloadStep("unmap_leaks", leaked, "left mapped " + what + "; kept (--keep-leaks)");
        }
        UnmappedMappings unmapped = agent.unmapMappings(moduleId);
        return new UnloadStep("unmap_leaks", leaked, "left mapped " + what + "; unmapped " + unmapped.mappings()
                + ", " + unmapped.bytes() + " bytes");
    }

    /** False when the module had already gone (it closed its own handle). */
    boolean detach() {
        return agent.detach(moduleId);
    }

    void forget() {
        agent.forget(moduleId);
    }

    private static String plural(long n) {
        return n == 1 ? "" : "s";
    }
}
