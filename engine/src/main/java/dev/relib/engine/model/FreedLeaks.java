package dev.relib.engine.model;

/** What freeing a module's live blocks released. */
public record FreedLeaks(long blocks, long bytes) {
}
