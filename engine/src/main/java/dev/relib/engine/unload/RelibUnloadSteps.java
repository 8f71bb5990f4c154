package dev.relib.engine.unload;

import dev.relib.engine.model.RelibAllocationStats;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.model.UnloadStep.Outcome;
import dev.relib.engine.relib.RelibSession;
import java.util.List;
import java.util.Optional;

/**
 * relib 0.7's own unload sequence (RELIB-PROTOCOL.md section 5) for a module built with unloading:
 * before_unload, spawned-threads check, allocator lock, thread-local destructors, misc cleanup,
 * cached allocations flushed, the live set freed through the module's {@code exit}. Details say
 * "relib:" for what relib_host does; where the shell differs (it keeps a refused module loaded and
 * usable, where relib leaks it), the detail says so.
 */
final class RelibUnloadSteps {

    static final String BEFORE_UNLOAD = "before_unload";
    static final String KEPT = "; the shell keeps it loaded and usable (relib_host would leak it)";

    private RelibUnloadSteps() {
    }

    /** Steps 1 and 2; the refusal's reason when the unload must stop here. */
    static Optional<String> checks(RelibSession relib, List<UnloadStep> steps) {
        Optional<String> refusal = beforeUnload(relib, steps);
        if (refusal.isPresent()) {
            return refusal;
        }
        long threads = relib.spawnedThreadsCount();
        if (threads > 0) {
            String reason = threads + " thread" + plural(threads) + " the module spawned still run"
                    + " (relib: ThreadsStillRunning)";
            steps.add(new UnloadStep("threads", Outcome.FAILED, "relib: spawned_threads_count() = " + threads
                    + "; stop " + (threads == 1 ? "it" : "them") + ", then unload again" + KEPT));
            return Optional.of(reason);
        }
        steps.add(new UnloadStep("threads", Outcome.PASSED, "relib: spawned_threads_count() = 0"));
        return Optional.empty();
    }

    /** before_unload alone: relib's step 1, also what the shell runs for a module without unloading. */
    static Optional<String> beforeUnload(RelibSession relib, List<UnloadStep> steps) {
        return switch (relib.beforeUnload()) {
            case NOT_EXPORTED -> {
                steps.add(new UnloadStep(BEFORE_UNLOAD, Outcome.SKIPPED, "the module has no before_unload"));
                yield Optional.empty();
            }
            case OK -> {
                steps.add(new UnloadStep(BEFORE_UNLOAD, Outcome.PASSED, "relib: before_unload ran"));
                yield Optional.empty();
            }
            case PANICKED -> {
                String reason = "before_unload panicked (relib: BeforeUnloadPanicked; its message is in the "
                        + "module's output and: panics)";
                steps.add(new UnloadStep(BEFORE_UNLOAD, Outcome.FAILED, reason + KEPT));
                yield Optional.of(reason);
            }
        };
    }

    /** Steps 3 to 6: past the last check that can refuse; nothing here stops. */
    static void teardown(RelibSession relib, List<UnloadStep> steps) {
        relib.lockAllocator();
        steps.add(new UnloadStep("allocator_lock", Outcome.PASSED,
                "relib: lock_module_allocator(); an allocation by another thread is now unrecoverable"));
        relib.runThreadLocalDestructors();
        steps.add(new UnloadStep("tls_destructors", Outcome.PASSED,
                "relib: run_thread_local_dtors() ran the destructors registered on this thread"));
        relib.miscCleanup();
        steps.add(new UnloadStep("misc_cleanup", Outcome.PASSED,
                "relib: misc_cleanup() unmapped the module's leftover mmap64 regions and deleted its pthread keys"));
        relib.flushCachedAllocations();
        RelibAllocationStats stats = relib.allocationStats().orElseThrow();
        steps.add(new UnloadStep("cached_allocs", Outcome.PASSED, "relib: take_cached_allocs_before_exit(); "
                + "the live set holds " + stats.liveBlocks() + " block" + plural(stats.liveBlocks()) + ", "
                + stats.liveBytes() + " bytes"));
    }

    /**
     * Steps 7 and 8: the live set handed to the module's {@code exit}. The tracker's own reservations
     * (what {@code init} reported) are in it and are not the module's leak.
     */
    static UnloadStep exit(RelibSession relib, boolean keep, boolean strictAll) {
        RelibAllocationStats stats = relib.allocationStats().orElseThrow();
        long own = Math.min(stats.initAllocations(), stats.liveBlocks());
        long leaked = stats.liveBlocks() - own;
        if (stats.liveBlocks() == 0) {
            return new UnloadStep("free_leaks", Outcome.WARNED, "[relib] warning: seems like this module doesn't "
                    + "have a registered global alloc tracker (its live set is empty); relib frees nothing");
        }
        if (keep) {
            return new UnloadStep("free_leaks", leaked > 0 ? Outcome.WARNED : Outcome.PASSED, "relib's live set: "
                    + stats.liveBlocks() + " blocks, " + stats.liveBytes() + " bytes; kept (--keep-leaks: the "
                    + "shell skips relib's exit)");
        }
        RelibSession.ExitedLiveSet exited = relib.exitWithLiveSet();
        String detail = "relib: exit() freed " + exited.blocks() + " block" + plural(exited.blocks()) + ", "
                + exited.bytes() + " bytes through the module's allocator (" + own + " of them the tracker's "
                + "own reservations, " + leaked + " other block" + plural(leaked) + " the module still held)";
        if (leaked == 0) {
            return new UnloadStep("free_leaks", Outcome.PASSED, detail);
        }
        // relib's live set has no leak kinds (std's own buffers are in it too): only --strict=all fails on it.
        return new UnloadStep("free_leaks", strictAll ? Outcome.FAILED : Outcome.WARNED,
                detail + (strictAll ? " (--strict=all: any live block fails the check)" : ""));
    }

    private static String plural(long n) {
        return n == 1 ? "" : "s";
    }
}
