package dev.relib.engine.call;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Struct literals to bytes and bytes to a shown struct, by a {@link StructLayout}:
 * {@code {x: 1.5, y: 2}}, {@code Point { x: 1.5, y: 2 }}, positional {@code {1.5, 2}}, nested
 * structs and arrays ({@code {origin: {0, 0}, ids: [1, 2, 3]}}). Every field is given, once.
 */
public final class StructValues {

    private StructValues() {
    }

    /** The literal as the struct's bytes; padding is zero. */
    static byte[] encode(StructLayout layout, String text) throws LiteralSyntaxException {
        Reader reader = new Reader(text);
        byte[] out = new byte[layout.size()];
        reader.struct(layout, out, 0);
        reader.skipBlanks();
        if (!reader.atEnd()) {
            throw new LiteralSyntaxException("unexpected '" + reader.rest() + "' after the struct literal");
        }
        return out;
    }

    /** {@code Point { x: 1.5, y: 2.0 }} and, as data, a map of field names to values. */
    public static ReturnValue decode(StructLayout layout, byte[] bytes) {
        Map<String, Object> value = new LinkedHashMap<>();
        StringBuilder display = new StringBuilder(layout.name()).append(" { ");
        for (int i = 0; i < layout.fields().size(); i++) {
            StructLayout.Field field = layout.fields().get(i);
            display.append(i == 0 ? "" : ", ").append(field.name()).append(": ");
            int size = SignatureParser.sizeOf(field.type());
            if (field.array()) {
                List<Object> items = new ArrayList<>();
                List<String> shown = new ArrayList<>();
                for (int k = 0; k < field.count(); k++) {
                    ReturnValue item = element(field.type(), bytes, field.offset() + k * size);
                    items.add(item.value());
                    shown.add(item.display());
                }
                value.put(field.name(), items);
                display.append('[').append(String.join(", ", shown)).append(']');
            } else {
                ReturnValue item = element(field.type(), bytes, field.offset());
                value.put(field.name(), item.value());
                display.append(item.display());
            }
        }
        return new ReturnValue(value, display.append(" }").toString());
    }

    private static ReturnValue element(ValueType type, byte[] bytes, int offset) {
        int size = SignatureParser.sizeOf(type);
        byte[] part = Arrays.copyOfRange(bytes, offset, offset + size);
        if (type instanceof ValueType.Struct nested) {
            return decode(nested.layout(), part);
        }
        return MemoryValues.decode(type, part);
    }

    /** Reads a literal left to right; nesting follows the layout, so it is bounded by the declarations. */
    private static final class Reader {
        private final String text;
        private int pos;

        Reader(String text) {
            this.text = text;
        }

        void struct(StructLayout layout, byte[] out, int base) throws LiteralSyntaxException {
            skipBlanks();
            int nameStart = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            String name = text.substring(nameStart, pos);
            if (!name.isEmpty() && !name.equals(layout.name())) {
                throw new LiteralSyntaxException("the literal names '" + name + "', but the type is " + layout.name());
            }
            expect('{', "a " + layout.name() + " is written {" + fieldList(layout) + "}");
            boolean[] given = new boolean[layout.fields().size()];
            int positional = 0;
            boolean first = true;
            while (true) {
                skipBlanks();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                if (!first) {
                    expect(',', "expected ',' or '}' between the fields of " + layout.name());
                    skipBlanks();
                    if (peek() == '}') {
                        pos++;
                        break;
                    }
                }
                first = false;
                int index = fieldIndex(layout, positional);
                if (given[index]) {
                    throw new LiteralSyntaxException("field " + layout.fields().get(index).name() + " is given twice");
                }
                given[index] = true;
                positional = index + 1;
                field(layout.fields().get(index), out, base);
            }
            for (int i = 0; i < given.length; i++) {
                if (!given[i]) {
                    throw new LiteralSyntaxException("field " + layout.fields().get(i).name() + " of " + layout.name()
                            + " is missing; give every field: {" + fieldList(layout) + "}");
                }
            }
        }

        /** {@code name:} selects a field; otherwise the next one in order. */
        private int fieldIndex(StructLayout layout, int positional) throws LiteralSyntaxException {
            int save = pos;
            int end = pos;
            while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                end++;
            }
            int colon = end;
            while (colon < text.length() && Character.isWhitespace(text.charAt(colon))) {
                colon++;
            }
            if (end > save && colon < text.length() && text.charAt(colon) == ':' && !text.startsWith("::", colon)) {
                String name = text.substring(save, end);
                for (int i = 0; i < layout.fields().size(); i++) {
                    if (layout.fields().get(i).name().equals(name)) {
                        pos = colon + 1;
                        return i;
                    }
                }
                throw new LiteralSyntaxException(layout.name() + " has no field '" + name + "'; its fields: " + fieldList(layout));
            }
            if (positional >= layout.fields().size()) {
                throw new LiteralSyntaxException(layout.name() + " has " + layout.fields().size() + " fields; too many values");
            }
            return positional;
        }

        private void field(StructLayout.Field field, byte[] out, int base) throws LiteralSyntaxException {
            int size = SignatureParser.sizeOf(field.type());
            if (!field.array()) {
                element(field.type(), out, base + field.offset(), field.name());
                return;
            }
            skipBlanks();
            expect('[', "field " + field.name() + " is an array: write [a, b, ...] with " + field.count() + " values");
            for (int k = 0; k < field.count(); k++) {
                if (k > 0) {
                    skipBlanks();
                    expect(',', "field " + field.name() + " needs " + field.count() + " values");
                }
                element(field.type(), out, base + field.offset() + k * size, field.name() + "[" + k + "]");
            }
            skipBlanks();
            if (peek() == ',') {
                pos++;
                skipBlanks();
            }
            expect(']', "field " + field.name() + " takes exactly " + field.count() + " values");
        }

        private void element(ValueType type, byte[] out, int at, String what) throws LiteralSyntaxException {
            if (type instanceof ValueType.Struct nested) {
                struct(nested.layout(), out, at);
                return;
            }
            String literal = scalarText().strip();
            ArgumentValue value;
            try {
                value = ArgumentConverter.convertLiteral(type, literal);
            } catch (LiteralSyntaxException e) {
                throw new LiteralSyntaxException("field " + what + " ('" + literal + "'): " + e.getMessage());
            }
            if (!(value instanceof ArgumentValue.Bits bits)) {
                throw new LiteralSyntaxException("field " + what + " is a pointer: give an address, not text");
            }
            int size = SignatureParser.sizeOf(type);
            for (int i = 0; i < size; i++) {
                out[at + i] = (byte) (bits.bits() >>> (8 * i));
            }
        }

        /** Up to the next ',', '}' or ']' outside quotes. */
        private String scalarText() {
            int start = pos;
            char quote = 0;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (quote != 0) {
                    if (c == '\\') {
                        pos++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == ',' || c == '}' || c == ']') {
                    break;
                }
                pos++;
            }
            return text.substring(start, Math.min(pos, text.length()));
        }

        private static String fieldList(StructLayout layout) {
            StringBuilder out = new StringBuilder();
            for (StructLayout.Field field : layout.fields()) {
                out.append(out.isEmpty() ? "" : ", ").append(field.name()).append(": ").append(field.typeText());
            }
            return out.toString();
        }

        private void expect(char c, String problem) throws LiteralSyntaxException {
            skipBlanks();
            if (peek() != c) {
                throw new LiteralSyntaxException(problem);
            }
            pos++;
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : 0;
        }

        void skipBlanks() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        String rest() {
            return text.substring(pos);
        }
    }
}
