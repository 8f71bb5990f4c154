package dev.relib.engine.model;

/**
 * A relib module's heap as relib's alloc tracker reported it, compared block by block with the
 * agent's table, so that no block is counted twice: {@code shared} blocks are in both, the others
 * in one only (the agent also sees C allocations that bypass Rust's global allocator; relib's set
 * lags behind until the module flushes its cache of up to 20,000 operations).
 *
 * @param stats      relib's live set, as relib_host would hold it
 * @param shared     blocks in relib's live set that the agent also tracks
 * @param relibOnly  blocks only relib's live set holds (not yet freed in a flush, or not from malloc)
 * @param agentOnly  blocks only the agent tracks (C heap outside relib's tracker, or not yet flushed)
 * @param agentOnlyBytes their bytes
 */
public record RelibAllocations(RelibAllocationStats stats, long shared, long relibOnly, long agentOnly,
                               long agentOnlyBytes) {
}
