package dev.relib.engine.unload;

import dev.relib.engine.agent.Agent;
import dev.relib.engine.model.AllocationStack;
import dev.relib.engine.model.AllocationStats;
import dev.relib.engine.model.FreedLeaks;
import dev.relib.engine.model.KeyCleanup;
import dev.relib.engine.model.LeakKind;
import dev.relib.engine.model.LeakKindTotals;
import dev.relib.engine.model.LeakSummary;
import dev.relib.engine.model.LeakedMapping;
import dev.relib.engine.model.LiveBlock;
import dev.relib.engine.model.ModuleThread;
import dev.relib.engine.model.OpenFd;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.model.UnloadStep.Outcome;
import dev.relib.engine.model.UnmappedMappings;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The steps only a tracked module has, in the order NATIVE-NOTES.md found to unload cleanly:
 * threads check, thread-local and key destructors, leak report and free, leaked mappings.
 */
final class TrackedSteps {

    /** How many leaked fds the close_fds step names; the leak summary lists them all. */
    private static final int LISTED_FDS = 10;

    private final Agent agent;
    private final int moduleId;
    private final long dlHandle;

    /** @param dlHandle the module's live handle, for the leak scan */
    TrackedSteps(Agent agent, int moduleId, long dlHandle) {
        this.agent = agent;
        this.moduleId = moduleId;
        this.dlHandle = dlHandle;
    }

    /** The module's threads still running; a thread counts as finished once its key destructors ran. */
    List<ModuleThread> runningThreads() {
        return runningThreads(stats());
    }

    /** As {@link #runningThreads()}, with the module's stats already at hand. */
    List<ModuleThread> runningThreads(AllocationStats stats) {
        if (stats.threadsRunning() == 0) {
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

    /**
     * The leak report, taken before anything is freed and after the destructors ran (what they
     * freed is no leak): every live block classified by the agent's leak scan, while the module's
     * statics still hold what they hold.
     */
    LeakSummary leaks(boolean keep) {
        return leaks(keep, true);
    }

    /**
     * @param scan false when the module is no longer mapped (it closed its own handle): nothing of
     *             it can point at a block any more, so every block is definitely lost
     */
    LeakSummary leaks(boolean keep, boolean scan) {
        List<LiveBlock> blocks = scan ? agent.classifiedBlocks(dlHandle, moduleId)
                : agent.blocks(moduleId).stream().map(b -> b.withKind(LeakKind.DEFINITELY_LOST)).toList();
        List<LeakedMapping> mappings = agent.mappings(moduleId);
        long mappingBytes = mappings.stream().mapToLong(LeakedMapping::length).sum();
        List<OpenFd> fds = agent.fds(moduleId);
        List<AllocationStack> live = agent.stacksOf(moduleId, blocks, fds);
        // In-process only the module's own frees are seen: its leaks are reported, never freed.
        return LeakSummary.of(blocks, live, mappings.size(), mappingBytes, fds,
                !keep && (blocks.isEmpty() || agent.stats(moduleId).preloaded()));
    }

    /**
     * Fails under {@code --strict} when definitely or indirectly lost blocks remain (any block with
     * {@code --strict=all}); warns for any other live block. Everything is freed either way, but for the
     * blocks a runtime library still points at from its own data.
     */
    UnloadStep freeLeaks(LeakSummary leaks, boolean keep, UnloadRequest request) {
        if (leaks.blocks() == 0) {
            return new UnloadStep("free_leaks", Outcome.PASSED, "no live allocations");
        }
        String what = leaks.blocks() + " block" + plural(leaks.blocks()) + ", " + leaks.bytes() + " bytes ("
                + kindsText(leaks.kinds()) + ")";
        long failing = 0;
        for (LeakKind kind : LeakKind.values()) {
            if (request.fails(kind)) {
                failing += leaks.kinds().of(kind).blocks();
            }
        }
        Outcome leaked = failing > 0 ? Outcome.FAILED : Outcome.WARNED;
        String verdict = !request.strict() ? ""
                : request.strictAll() ? " (--strict=all: any live block fails the check)"
                : failing > 0 ? " (--strict: lost blocks fail the check)"
                : " (--strict: none lost; --strict=all fails on reachable ones too)";
        if (keep) {
            return new UnloadStep("free_leaks", leaked, "leaked " + what + "; kept (--keep-leaks)" + verdict);
        }
        if (!agent.stats(moduleId).preloaded()) {
            return new UnloadStep("free_leaks", leaked, "leaked " + what + "; not freed: in-process, only the module's own"
                    + " frees are seen, so a block it handed to other code (or that libc reallocated) cannot be proven"
                    + " still its own; the worker (the default) sees every free and frees them" + verdict);
        }
        FreedLeaks freed = agent.freeBlocks(moduleId);
        // The agent leaves libstdc++ the blocks it still points at from its own data (see leak_scan.c).
        long left = leaks.blocks() - freed.blocks();
        String runtimeHeld = left > 0 ? "; " + left + " block" + plural(left) + " left to the runtime library"
                + " (libstdc++, libgcc_s) that still points at " + (left == 1 ? "it" : "them") : "";
        return new UnloadStep("free_leaks", leaked, "leaked " + what + "; freed " + freed.blocks() + " block"
                + plural(freed.blocks()) + ", " + freed.bytes() + " bytes" + runtimeHeld + verdict);
    }

    private static String kindsText(LeakKindTotals kinds) {
        List<String> parts = new ArrayList<>();
        for (LeakKind kind : LeakKind.values()) {
            long n = kinds.of(kind).blocks();
            if (n > 0) {
                parts.add(n + " " + kind.words());
            }
        }
        return String.join(", ", parts);
    }

    UnloadStep unmapLeaks(LeakSummary leaks, boolean keep, UnloadRequest request) {
        boolean strict = request.strict();
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

    /**
     * The fds the module left open: reported as valgrind --track-fds lists them, then closed (the
     * module is going away, and nothing else knows they exist) where every close in the process is
     * seen, so none of them can have become someone else's; {@code --keep-leaks} leaves them open,
     * and so does in-process mode. Fails under {@code --strict}. Those of FILE and DIR streams were
     * closed with their streams by the free_leaks step.
     */
    UnloadStep closeFds(LeakSummary leaks, boolean keep, UnloadRequest request) {
        List<OpenFd> fds = leaks.fds();
        if (fds.isEmpty()) {
            return new UnloadStep("close_fds", Outcome.PASSED, "no open file descriptors");
        }
        String what = "left open " + fds.size() + " file descriptor" + plural(fds.size()) + " ("
                + fds.stream().limit(LISTED_FDS).map(fd -> fd.fd() + " " + fd.target() + " from " + fd.openedBy())
                        .collect(Collectors.joining(", "))
                + (fds.size() > LISTED_FDS ? ", and " + (fds.size() - LISTED_FDS) + " more" : "") + ")";
        Outcome leaked = request.strict() ? Outcome.FAILED : Outcome.WARNED;
        if (keep) {
            return new UnloadStep("close_fds", leaked, what + "; kept open (--keep-leaks)");
        }
        if (!agent.stats(moduleId).preloaded()) {
            return new UnloadStep("close_fds", leaked, what + "; not closed: in-process, only the module's own closes "
                    + "are seen, so an fd other code closed and the number reused cannot be told from the module's; "
                    + "the worker (the default) sees every close and closes them");
        }
        agent.closeFds(moduleId);
        int left = agent.fds(moduleId).size();
        return new UnloadStep("close_fds", leaked, what + "; closed " + (fds.size() - left)
                + (left == 0 ? "" : ", left " + left + " open: the fds of FILE or DIR streams that were not the "
                + "module's to close"));
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
