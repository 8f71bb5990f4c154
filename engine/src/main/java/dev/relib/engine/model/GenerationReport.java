package dev.relib.engine.model;

import java.time.Instant;
import java.util.List;

/**
 * A module's generations: those retired by reloads, with what each leaked, and the one running.
 *
 * @param current what the running generation holds now (its stats are null when untracked)
 */
public record GenerationReport(String module, int currentGeneration, List<RetiredGeneration> retired,
                               AllocationReport current) {

    public GenerationReport {
        retired = List.copyOf(retired);
    }

    /** A generation a reload retired: when it ran and what it still held when it went. */
    public record RetiredGeneration(int generation, Instant loadedAt, Instant retiredAt, LeakSummary leaked,
                                    UnloadReport.Outcome outcome) {
    }
}
