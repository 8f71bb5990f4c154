package dev.relib.engine.model;

import java.util.List;
import java.util.Optional;

/**
 * A module's heap as the agent sees it now.
 *
 * @param stats          counters (null when the module is untracked)
 * @param blocks         every live block, largest first
 * @param stacksRecorded whether the module was loaded with stacks
 * @param stacks         the call stacks the live blocks were allocated from (empty without stacks)
 * @param relib          a relib module's live set as its tracker reported it, beside the agent's; null otherwise
 * @param fds            the file descriptors the module opened and has not closed, in number order
 */
public record AllocationReport(String module, int moduleId, boolean tracked, AllocationStats stats,
                               List<LiveBlock> blocks, boolean stacksRecorded, List<AllocationStack> stacks,
                               RelibAllocations relib, List<OpenFd> fds) {

    public AllocationReport(String module, int moduleId, boolean tracked, AllocationStats stats,
                            List<LiveBlock> blocks, boolean stacksRecorded, List<AllocationStack> stacks,
                            RelibAllocations relib) {
        this(module, moduleId, tracked, stats, blocks, stacksRecorded, stacks, relib, List.of());
    }

    public AllocationReport(String module, int moduleId, boolean tracked, AllocationStats stats,
                            List<LiveBlock> blocks, boolean stacksRecorded, List<AllocationStack> stacks) {
        this(module, moduleId, tracked, stats, blocks, stacksRecorded, stacks, null);
    }

    public AllocationReport {
        blocks = List.copyOf(blocks);
        stacks = List.copyOf(stacks);
        fds = fds == null ? List.of() : List.copyOf(fds);
    }

    public AllocationReport(String module, int moduleId, boolean tracked, AllocationStats stats, List<LiveBlock> blocks) {
        this(module, moduleId, tracked, stats, blocks, false, List.of());
    }

    /** The stack a block was allocated from, when recorded. */
    public Optional<AllocationStack> stackOf(LiveBlock block) {
        return stackOf(block.stackId());
    }

    public Optional<AllocationStack> stackOf(int stackId) {
        return stacks.stream().filter(s -> s.id() == stackId).findFirst();
    }
}
