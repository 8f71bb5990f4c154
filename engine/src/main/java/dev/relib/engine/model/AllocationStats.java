package dev.relib.engine.model;

/**
 * A module's counters from the native agent.
 *
 * @param liveBlocks            blocks allocated by the module and not freed
 * @param liveBytes             their requested sizes, summed
 * @param totalAllocations      allocations since attach (realloc counts as one allocation and one free)
 * @param totalFrees            frees of the module's blocks, by anyone tracked, and by the agent at unload
 * @param peakBytes             high-water mark of live bytes, exact to within 64 KiB per allocating thread
 * @param passthroughFrees      frees by the module of pointers the agent never saw (e.g. allocated before attach)
 * @param threadsStarted        threads the module started
 * @param threadsRunning        of those, not yet finished (finished = start routine returned and key destructors ran)
 * @param tlsDestructorsPending thread-local destructors the module registered that have not run nor been disabled
 * @param keysLive              pthread keys the module created and did not delete
 * @param mappingsLive          mappings the module made and did not unmap
 * @param mappingBytes          their lengths, summed
 */
public record AllocationStats(
        long liveBlocks,
        long liveBytes,
        long totalAllocations,
        long totalFrees,
        long peakBytes,
        long passthroughFrees,
        long threadsStarted,
        long threadsRunning,
        long tlsDestructorsPending,
        long keysLive,
        long mappingsLive,
        long mappingBytes) {
}
