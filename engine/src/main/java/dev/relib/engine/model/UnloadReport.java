package dev.relib.engine.model;

import java.util.List;

/**
 * What the unload pipeline did.
 *
 * @param module  the module's name
 * @param outcome UNLOADED: gone and the final check passed; REFUSED: a check stopped it and the module
 *                is still loaded and usable; STILL_MAPPED: dlclose ran but the file is still mapped
 * @param steps   each step in order, including those skipped
 * @param reasons why the module is still mapped, when it is ({@code DF_1_NODELETE}, ...)
 */
public record UnloadReport(String module, Outcome outcome, List<UnloadStep> steps, List<String> reasons) {

    public enum Outcome { UNLOADED, REFUSED, STILL_MAPPED }

    public UnloadReport {
        steps = List.copyOf(steps);
        reasons = List.copyOf(reasons);
    }

    /** A failed check: refused, still mapped, or a step failed (a leak under {@code --strict}). */
    public boolean checkFailed() {
        return outcome != Outcome.UNLOADED
                || steps.stream().anyMatch(s -> s.outcome() == UnloadStep.Outcome.FAILED);
    }
}
