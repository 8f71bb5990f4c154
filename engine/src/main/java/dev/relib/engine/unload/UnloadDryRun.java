package dev.relib.engine.unload;

import dev.relib.engine.agent.Agent;
import dev.relib.engine.model.AllocationStats;
import dev.relib.engine.model.CheckFinding;
import dev.relib.engine.model.CheckFinding.Severity;
import dev.relib.engine.model.ModuleThread;
import dev.relib.engine.model.UnloadCheckReport;
import dev.relib.engine.relib.RelibSession;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code check unload}: what the pipeline would meet (running threads, destructors to run, live
 * allocations, leaked mappings, and what would keep the file mapped), found without changing anything.
 */
public final class UnloadDryRun {

    private final StillLoadedDiagnosis diagnosis;
    private final Supplier<Agent> agent;

    public UnloadDryRun(StillLoadedDiagnosis diagnosis, Supplier<Agent> agent) {
        this.diagnosis = diagnosis;
        this.agent = agent;
    }

    public UnloadCheckReport run(UnloadTarget target) {
        List<CheckFinding> findings = new ArrayList<>();
        if (target.info().tracked()) {
            trackedFindings(new TrackedSteps(agent.get(), target.trackingId(), target.handle()), findings);
        } else {
            findings.add(new CheckFinding("untracked", Severity.INFO,
                    "untracked: threads, destructors and leaks cannot be checked"));
        }
        for (String reason : diagnosis.reasons(target.info(), target.elf(), target.otherModules(), target.handle())) {
            findings.add(new CheckFinding("still_mapped", Severity.BLOCKING, "would stay mapped: " + reason));
        }
        target.sdk().filter(sdk -> sdk.info().hasBeforeUnload()).ifPresent(sdk -> findings.add(new CheckFinding(
                "before_unload", Severity.INFO, "before_unload will run first; a panic in it refuses the unload")));
        target.relib().ifPresent(relib -> relibFindings(relib, findings));
        if (findings.stream().noneMatch(f -> f.severity() != Severity.INFO)) {
            findings.add(new CheckFinding("ok", Severity.INFO, "nothing found that would keep it loaded"));
        }
        return new UnloadCheckReport(target.info().name(), findings);
    }

    /** What relib's own checks would say now; before_unload is not run by a dry run. */
    private static void relibFindings(RelibSession relib, List<CheckFinding> findings) {
        if (!relib.unloadable()) {
            findings.add(new CheckFinding("relib_no_unloading", Severity.WARNING, "built without relib's unloading "
                    + "feature: relib cannot unload it safely; unload does what the shell can, labelled as such"));
            return;
        }
        long threads = relib.spawnedThreadsCount();
        if (threads > 0) {
            findings.add(new CheckFinding("threads_running", Severity.BLOCKING, "relib: spawned_threads_count() = "
                    + threads + " (unload would be refused: ThreadsStillRunning)"));
        }
        findings.add(new CheckFinding("before_unload", Severity.INFO, "relib's sequence: before_unload (a panic "
                + "refuses), threads check, allocator lock, TLS destructors, misc cleanup, cache flush, exit, dlclose"));
        relib.allocationStats().ifPresent(stats -> findings.add(new CheckFinding("relib_live_set", Severity.INFO,
                "relib's live set: " + stats.liveBlocks() + " block(s), " + stats.liveBytes()
                        + " bytes; exit frees them")));
    }

    private static void trackedFindings(TrackedSteps tracked, List<CheckFinding> findings) {
        AllocationStats stats = tracked.stats();
        List<ModuleThread> running = tracked.runningThreads(stats);
        if (!running.isEmpty()) {
            findings.add(new CheckFinding("threads_running", Severity.BLOCKING, running.size() + " module thread"
                    + (running.size() == 1 ? "" : "s") + " still running: " + TrackedSteps.describe(running)));
        }
        if (stats.tlsDestructorsPending() > 0) {
            findings.add(new CheckFinding("tls_destructors", Severity.INFO, stats.tlsDestructorsPending()
                    + " thread-local destructor(s) pending: unload runs those of the owner thread"));
        }
        if (stats.keysLive() > 0) {
            findings.add(new CheckFinding("pthread_keys", Severity.INFO, stats.keysLive()
                    + " pthread key(s) live: unload runs their destructors and deletes them"));
        }
        if (stats.liveBlocks() > 0) {
            findings.add(new CheckFinding("live_allocations", Severity.WARNING, stats.liveBlocks() + " block(s), "
                    + stats.liveBytes() + " bytes still allocated: unload reports and frees them (--keep-leaks keeps them)"));
        }
        if (stats.mappingsLive() > 0) {
            findings.add(new CheckFinding("leaked_mappings", Severity.WARNING, stats.mappingsLive() + " mapping(s), "
                    + stats.mappingBytes() + " bytes still mapped: unload unmaps them"));
        }
        if (stats.fdsOpen() > 0) {
            findings.add(new CheckFinding("open_fds", Severity.WARNING, stats.fdsOpen() + " file descriptor(s) open"
                    + (stats.streamsOpen() > 0 ? " (" + stats.streamsOpen() + " FILE/DIR stream(s))" : "")
                    + (stats.preloaded() ? ": unload reports and closes them (--keep-leaks keeps them)"
                    : ": unload reports them; in-process it closes none")));
        }
    }
}
