package dev.relib.engine.model;

import java.util.List;

/**
 * What a module has mapped: the segments of its own file, and the mappings it made and has not
 * unmapped (tracked modules only).
 */
public record MappingReport(String module, int moduleId, boolean tracked, List<Segment> segments,
                            List<LeakedMapping> mappings) {

    public MappingReport {
        segments = List.copyOf(segments);
        mappings = List.copyOf(mappings);
    }

    /** One line of {@code /proc/self/maps} for the module's file. */
    public record Segment(long start, long end, String permissions, long offset, String path) {
    }
}
