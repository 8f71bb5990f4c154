package dev.relib.engine.model;

/**
 * A heap block a module allocated and has not freed.
 *
 * @param address  where it starts
 * @param size     bytes, as requested
 * @param align    alignment requested from posix_memalign/aligned_alloc/memalign; 0 for malloc/calloc/realloc
 * @param sequence unique; increasing within a thread, across threads ordered to within 1024 allocations
 * @param stackId  the {@link AllocationStack} it was allocated from; 0 when the module records no stacks
 *                 (a block keeps its stack through realloc)
 */
public record LiveBlock(long address, long size, long align, long sequence, int stackId) {

    public LiveBlock(long address, long size, long align, long sequence) {
        this(address, size, align, sequence, 0);
    }
}
