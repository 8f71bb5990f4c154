package dev.relib.engine.model;

import java.time.Instant;
import java.util.List;

/**
 * A module's generations: those retired by reloads, with what each leaked, and the one running.
 *
 * @param earlier the retired generations older than {@code retired}, folded; null when {@code retired} holds them all
 * @param retired the latest retired generations (a hundred at most), oldest first
 * @param current what the running generation holds now (its stats are null when untracked)
 */
public record GenerationReport(String module, int currentGeneration, EarlierGenerations earlier,
                               List<RetiredGeneration> retired, AllocationReport current) {

    public GenerationReport {
        retired = List.copyOf(retired);
    }

    /** A generation a reload retired: when it ran and what it still held when it went. */
    public record RetiredGeneration(int generation, Instant loadedAt, Instant retiredAt, LeakSummary leaked,
                                    UnloadReport.Outcome outcome) {
    }
}
