package dev.relib.engine.model;

/**
 * A heap block a module allocated and has not freed.
 *
 * @param address  where it starts
 * @param size     bytes, as requested
 * @param align    the alignment the block has: as requested from posix_memalign/aligned_alloc/memalign,
 *                 else malloc's ({@link #MALLOC_ALIGNMENT})
 * @param sequence unique; increasing within a thread, across threads ordered to within 1024 allocations
 * @param stackId  the {@link AllocationStack} it was allocated from; 0 when the module records no stacks
 *                 (a block keeps its stack through realloc)
 * @param kind     what still points at it (see {@link LeakKind}); null when no leak scan ran
 */
public record LiveBlock(long address, long size, long align, long sequence, int stackId, LeakKind kind) {

    /**
     * What glibc's malloc, calloc and realloc guarantee on x86-64: 2 * sizeof(size_t), the
     * MALLOC_ALIGNMENT of its malloc.c.
     */
    public static final long MALLOC_ALIGNMENT = 16;

    public LiveBlock(long address, long size, long align, long sequence, int stackId) {
        this(address, size, align, sequence, stackId, null);
    }

    public LiveBlock(long address, long size, long align, long sequence) {
        this(address, size, align, sequence, 0, null);
    }

    public LiveBlock withKind(LeakKind leakKind) {
        return new LiveBlock(address, size, align, sequence, stackId, leakKind);
    }

    /** The kind, or definitely lost when no scan classified the block (nothing is known to point at it). */
    public LeakKind kindOrDefinite() {
        return kind == null ? LeakKind.DEFINITELY_LOST : kind;
    }
}
