package dev.relib.engine.model;

/**
 * A heap block a module allocated and has not freed.
 *
 * @param address  where it starts
 * @param size     bytes, as requested
 * @param align    alignment requested from posix_memalign/aligned_alloc/memalign; 0 for malloc/calloc/realloc
 * @param sequence unique; increasing within a thread, across threads ordered to within 1024 allocations
 */
public record LiveBlock(long address, long size, long align, long sequence) {
}
