package dev.relib.engine.worker.wire;

/**
 * JSON syntax into a StringBuilder, on one line: every control character in a string is escaped
 * (so a newline ends only the message), and so is every surrogate (so a lone one survives the
 * socket's UTF-8 as it was).
 */
final class JsonWriter {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out;

    JsonWriter(StringBuilder out) {
        this.out = out;
    }

    void raw(String text) {
        out.append(text);
    }

    void raw(char c) {
        out.append(c);
    }

    void number(long value) {
        out.append(value);
    }

    void bool(boolean value) {
        out.append(value);
    }

    void nullValue() {
        out.append("null");
    }

    /** A member's name and its colon; {@code first} leaves out the comma. */
    void name(String name, boolean first) {
        if (!first) {
            out.append(',');
        }
        string(name);
        out.append(':');
    }

    void string(String text) {
        out.append('"');
        int plainFrom = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            out.append(text, plainFrom, i);
            plainFrom = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF])
                        .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            }
        }
        out.append(text, plainFrom, text.length());
        out.append('"');
    }
}
