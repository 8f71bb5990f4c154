package dev.relib.engine.model;

import java.util.List;

/**
 * What the unload pipeline did.
 *
 * @param module  the module's name
 * @param outcome UNLOADED: gone and the final check passed; REFUSED: a check stopped it and the module
 *                is still loaded and usable; STILL_MAPPED: dlclose ran but the file is still mapped
 * @param steps   each step in order, including those skipped
 * @param reasons why the module is still mapped or was refused ({@code DF_1_NODELETE}, running threads, ...)
 * @param leaks   what the module still held when the leak step ran; null when it was untracked or the
 *                pipeline stopped before that step
 * @param runningThreads the module's threads still running when the threads check refused the unload
 */
public record UnloadReport(String module, Outcome outcome, List<UnloadStep> steps, List<String> reasons,
                           LeakSummary leaks, List<ModuleThread> runningThreads) {

    public enum Outcome { UNLOADED, REFUSED, STILL_MAPPED }

    public UnloadReport {
        steps = List.copyOf(steps);
        reasons = List.copyOf(reasons);
        runningThreads = List.copyOf(runningThreads);
    }

    /** A failed check: refused, still mapped, or a step failed (a leak under {@code --strict}). */
    public boolean checkFailed() {
        return outcome != Outcome.UNLOADED
                || steps.stream().anyMatch(s -> s.outcome() == UnloadStep.Outcome.FAILED);
    }
}
