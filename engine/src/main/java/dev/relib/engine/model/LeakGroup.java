package dev.relib.engine.model;

/**
 * Live blocks of one kind, allocated along one recorded stack, of one size: "N blocks of S bytes".
 *
 * @param stackId the {@link AllocationStack} they were allocated from; 0 without stacks
 */
public record LeakGroup(LeakKind kind, int stackId, long size, long blocks, long bytes) {
}
