package dev.relib.engine.model;

/**
 * The live set relib's alloc tracker reported for one relib module, as relib_host would hold it
 * (kept by the native agent from the module's {@code on_alloc} and {@code on_cached_allocs} calls).
 * The module reports in batches of up to 20,000 operations, so between flushes it lags behind.
 *
 * @param liveBlocks  allocations the host holds as live
 * @param liveBytes   their bytes
 * @param allocations {@code on_alloc} calls plus Alloc operations received
 * @param frees       Dealloc operations that removed a live entry
 * @param peakBytes   the largest {@code liveBytes} seen after a batch
 * @param initAllocations what {@code init} reported directly: the tracker's own reservations (0: no tracker)
 * @param flushes     {@code on_cached_allocs} calls
 * @param validations {@code is_ptr_allocated} calls (dealloc validation)
 */
public record RelibAllocationStats(long liveBlocks, long liveBytes, long allocations, long frees, long peakBytes,
                                   long initAllocations, long flushes, long validations) {
}
