package dev.relib.engine.model;

/** What unmapping a module's leaked mappings released. */
public record UnmappedMappings(long mappings, long bytes) {
}
