package dev.relib.engine.model;

import dev.relib.engine.model.GenerationReport.RetiredGeneration;
import java.time.Instant;

/**
 * The retired generations older than those a report lists one by one, folded into one line: a
 * module reloaded all day keeps a bounded history, as valgrind folds its loss records.
 *
 * @param count          how many
 * @param first          the oldest one's number
 * @param last           the newest one's number
 * @param firstLoadedAt  when the oldest was loaded
 * @param lastRetiredAt  when the newest was retired
 * @param leakedBlocks   what the tracked ones still held when they went, together
 * @param leakedBytes    the same in bytes
 * @param untracked      how many of them were untracked (no leak figures)
 */
public record EarlierGenerations(int count, int first, int last, Instant firstLoadedAt, Instant lastRetiredAt,
                                 long leakedBlocks, long leakedBytes, int untracked) {

    public static EarlierGenerations of(RetiredGeneration generation) {
        return new EarlierGenerations(0, generation.generation(), generation.generation(), generation.loadedAt(),
                generation.retiredAt(), 0, 0, 0).plus(generation);
    }

    /** These and {@code generation}, the next one to fold. */
    public EarlierGenerations plus(RetiredGeneration generation) {
        LeakSummary leaked = generation.leaked();
        return new EarlierGenerations(count + 1, first, generation.generation(), firstLoadedAt, generation.retiredAt(),
                leakedBlocks + (leaked == null ? 0 : leaked.blocks()), leakedBytes + (leaked == null ? 0 : leaked.bytes()),
                untracked + (leaked == null ? 1 : 0));
    }
}
