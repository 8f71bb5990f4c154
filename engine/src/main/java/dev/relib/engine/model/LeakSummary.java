package dev.relib.engine.model;

import java.util.List;

/**
 * What a module still held when it was unloaded, as valgrind would put it: blocks and bytes
 * "definitely lost" (nothing of the module remains to free them), and its leaked mappings.
 *
 * @param largest   the largest live blocks, largest first (at most {@link #LARGEST} of them)
 * @param freed     whether the engine freed them (false with {@code --keep-leaks})
 */
public record LeakSummary(long blocks, long bytes, List<LiveBlock> largest, long mappings, long mappingBytes,
                          boolean freed) {

    public static final int LARGEST = 10;

    public LeakSummary {
        largest = List.copyOf(largest);
    }

    public boolean leaked() {
        return blocks > 0 || mappings > 0;
    }
}
