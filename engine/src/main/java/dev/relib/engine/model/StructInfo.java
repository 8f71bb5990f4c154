package dev.relib.engine.model;

import java.util.List;

/**
 * A struct declared in the session, with its C layout.
 *
 * @param declaration canonical text: {@code struct Point { x: f64, y: f64 }}
 */
public record StructInfo(String name, String declaration, int size, int align, List<FieldInfo> fields) {

    public StructInfo {
        fields = List.copyOf(fields);
    }

    /** One field: its type as written, its offset and its size in bytes. */
    public record FieldInfo(String name, String type, int offset, int size) {
    }
}
