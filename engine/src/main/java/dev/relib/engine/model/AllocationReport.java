package dev.relib.engine.model;

import java.util.List;

/**
 * A module's heap as the agent sees it now.
 *
 * @param stats  counters (null when the module is untracked)
 * @param blocks every live block, largest first
 */
public record AllocationReport(String module, int moduleId, boolean tracked, AllocationStats stats,
                               List<LiveBlock> blocks) {

    public AllocationReport {
        blocks = List.copyOf(blocks);
    }
}
