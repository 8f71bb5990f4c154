package dev.relib.engine.model;

import java.util.Collection;

/** Blocks and bytes of each {@link LeakKind}, as valgrind's LEAK SUMMARY lists them. */
public record LeakKindTotals(Amount definitelyLost, Amount indirectlyLost, Amount possiblyLost, Amount stillReachable) {

    /** Blocks and bytes. */
    public record Amount(long blocks, long bytes) {

        static final Amount NONE = new Amount(0, 0);

        Amount plus(long size) {
            return new Amount(blocks + 1, bytes + size);
        }
    }

    public static final LeakKindTotals NONE = new LeakKindTotals(Amount.NONE, Amount.NONE, Amount.NONE, Amount.NONE);

    /** The totals of classified blocks; a block without a kind counts as definitely lost. */
    public static LeakKindTotals of(Collection<LiveBlock> blocks) {
        Amount[] sums = {Amount.NONE, Amount.NONE, Amount.NONE, Amount.NONE};
        for (LiveBlock block : blocks) {
            int i = block.kindOrDefinite().ordinal();
            sums[i] = sums[i].plus(block.size());
        }
        return new LeakKindTotals(sums[0], sums[1], sums[2], sums[3]);
    }

    public Amount of(LeakKind kind) {
        return switch (kind) {
            case DEFINITELY_LOST -> definitelyLost;
            case INDIRECTLY_LOST -> indirectlyLost;
            case POSSIBLY_LOST -> possiblyLost;
            case STILL_REACHABLE -> stillReachable;
        };
    }

    /** Definitely plus indirectly lost blocks: what {@code unload --strict} fails on. */
    public long lostBlocks() {
        return definitelyLost.blocks() + indirectlyLost.blocks();
    }
}
