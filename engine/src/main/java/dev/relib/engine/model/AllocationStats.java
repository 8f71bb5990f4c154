package dev.relib.engine.model;

/**
 * A module's counters from the native agent.
 *
 * @param liveBlocks            blocks allocated by the module and not freed
 * @param liveBytes             their requested sizes, summed
 * @param totalAllocations      allocations since attach (realloc counts as one allocation and one free)
 * @param totalFrees            frees of the module's blocks, by anyone tracked, and by the agent at unload
 * @param peakBytes             high-water mark of live bytes: exact while one thread allocated and freed the module's
 *                              blocks, else within {@code peakBound} bytes
 * @param passthroughFrees      frees by the module of pointers the agent never saw (e.g. allocated before attach)
 * @param threadsStarted        threads the module started
 * @param threadsRunning        of those, not yet finished (finished = start routine returned and key destructors ran)
 * @param tlsDestructorsPending thread-local destructors the module registered that have not run nor been disabled
 * @param keysLive              pthread keys the module created and did not delete
 * @param mappingsLive          mappings the module made and did not unmap
 * @param mappingBytes          their lengths, summed
 * @param peakBound             0 when {@code peakBytes} is exact, else the most it can differ from the true peak
 * @param preloaded             the agent is the process's allocator (the worker): every free in the process retires a
 *                              tracked block; false in-process, where only the module's own frees are seen
 * @param streamsOpen           FILE and DIR streams the module opened and did not close (closed at unload in the worker)
 * @param fdsOpen               file descriptors the module opened and did not close, those of its streams included
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
        long mappingBytes,
        long peakBound,
        boolean preloaded,
        long streamsOpen,
        long fdsOpen) {
}
