package dev.relib.engine.call;

import java.util.List;

/**
 * A {@code #[repr(C)]} struct declared in the session ({@code struct Point { x: f64, y: f64 }}):
 * each field at C's offset (aligned to its type), the size rounded up to the largest alignment.
 *
 * @param fields in declaration order
 */
public record StructLayout(String name, List<Field> fields, int size, int align) {

    public StructLayout {
        fields = List.copyOf(fields);
    }

    /**
     * @param type   the element type: a scalar, a thin pointer, or another declared struct
     * @param count  1, or N for an array {@code [T; N]}
     * @param array  written as an array (also {@code [T; 1]})
     * @param offset bytes from the start of the struct
     */
    public record Field(String name, ValueType type, int count, boolean array, int offset) {
        /** Bytes the field occupies (all elements of an array). */
        public int size() {
            return SignatureParser.sizeOf(type) * count;
        }

        public String typeText() {
            return array ? "[" + type.text() + "; " + count + "]" : type.text();
        }
    }

    /** {@code struct Point { x: f64, y: f64 }}. */
    public String declaration() {
        StringBuilder out = new StringBuilder("struct ").append(name).append(" { ");
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            out.append(i == 0 ? "" : ", ").append(field.name()).append(": ").append(field.typeText());
        }
        return out.append(" }").toString();
    }
}
