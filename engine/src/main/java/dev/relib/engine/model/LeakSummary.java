package dev.relib.engine.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a module still held when it was unloaded, as valgrind would put it: blocks and bytes of each
 * leak kind, grouped by kind, allocation stack and size, and its leaked mappings.
 *
 * @param blocks    every live block (whatever its kind)
 * @param largest   the largest live blocks, largest first (at most {@link #LARGEST} of them)
 * @param freed     whether the engine freed them (false with {@code --keep-leaks})
 * @param kinds     blocks and bytes per leak kind
 * @param groups    the blocks grouped by kind, stack and size, most bytes first
 * @param stacks    the allocation stacks the groups and fds refer to (empty when the module records none)
 * @param fds       the file descriptors it opened and did not close, in number order
 */
public record LeakSummary(long blocks, long bytes, List<LiveBlock> largest, long mappings, long mappingBytes,
                          boolean freed, LeakKindTotals kinds, List<LeakGroup> groups, List<AllocationStack> stacks,
                          List<OpenFd> fds) {

    public static final int LARGEST = 10;

    /** Built once: an unload's report made these chains of comparators anew for every leak report. */
    private static final Comparator<LiveBlock> LARGEST_FIRST =
            Comparator.comparingLong(LiveBlock::size).reversed().thenComparingLong(LiveBlock::sequence);
    private static final Comparator<LeakGroup> GROUP_ORDER = Comparator.comparingLong(LeakGroup::bytes).reversed()
            .thenComparing(Comparator.comparingLong(LeakGroup::blocks).reversed())
            .thenComparing(LeakGroup::kind).thenComparingInt(LeakGroup::stackId);

    public LeakSummary {
        largest = List.copyOf(largest);
        kinds = kinds == null ? LeakKindTotals.NONE : kinds;
        groups = groups == null ? List.of() : List.copyOf(groups);
        stacks = stacks == null ? List.of() : List.copyOf(stacks);
        fds = fds == null ? List.of() : List.copyOf(fds);
    }

    public LeakSummary(long blocks, long bytes, List<LiveBlock> largest, long mappings, long mappingBytes,
                       boolean freed) {
        this(blocks, bytes, largest, mappings, mappingBytes, freed, null, null, null, null);
    }

    /** The summary of classified live blocks (see {@link LeakKind}) and leaked mappings. */
    public static LeakSummary of(List<LiveBlock> live, List<AllocationStack> stacks, long mappings, long mappingBytes,
                                 boolean freed) {
        return of(live, stacks, mappings, mappingBytes, List.of(), freed);
    }

    /** The summary of classified live blocks, leaked mappings and the fds left open. */
    public static LeakSummary of(List<LiveBlock> live, List<AllocationStack> stacks, long mappings, long mappingBytes,
                                 List<OpenFd> fds, boolean freed) {
        long bytes = 0;
        for (LiveBlock block : live) {
            bytes += block.size();
        }
        List<LiveBlock> largest = live.size() <= 1 ? live
                : live.stream().sorted(LARGEST_FIRST).limit(LARGEST).toList();
        return new LeakSummary(live.size(), bytes, largest, mappings, mappingBytes, freed, LeakKindTotals.of(live),
                groups(live), stacks, fds);
    }

    /** Blocks of one kind, stack and size make one group; most bytes first, then most blocks. */
    public static List<LeakGroup> groups(List<LiveBlock> live) {
        record Key(LeakKind kind, int stackId, long size) {
        }
        Map<Key, long[]> counts = new HashMap<>();
        for (LiveBlock block : live) {
            counts.computeIfAbsent(new Key(block.kindOrDefinite(), block.stackId(), block.size()), k -> new long[1])[0]++;
        }
        List<LeakGroup> groups = new ArrayList<>(counts.size());
        counts.forEach((key, count) -> groups.add(new LeakGroup(key.kind(), key.stackId(), key.size(), count[0],
                count[0] * key.size())));
        groups.sort(GROUP_ORDER);
        return groups;
    }

    /** The stack a group's blocks were allocated from, when recorded. */
    public Optional<AllocationStack> stackOf(int stackId) {
        return stacks.stream().filter(s -> s.id() == stackId).findFirst();
    }

    public boolean leaked() {
        return blocks > 0 || mappings > 0 || !fds.isEmpty();
    }
}
