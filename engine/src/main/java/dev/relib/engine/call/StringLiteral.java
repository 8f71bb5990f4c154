package dev.relib.engine.call;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Rust-style quoted literals: {@code "text"}, {@code b"bytes"}, {@code 'c'}, with the escapes
 * <code>\n \r \t \0 \\ \" \' \xNN &#92;u{HEX}</code>.
 */
final class StringLiteral {

    private StringLiteral() {
    }

    /**
     * The contents between {@code open} and {@code close} quotes (inclusive in {@code text}), as bytes.
     *
     * @param anyByte whether {@code \xNN} may exceed 0x7F (byte strings and C strings), as Rust allows
     *                only in byte strings
     */
    static byte[] unquote(String text, char quote, boolean anyByte) throws LiteralSyntaxException {
        if (text.length() < 2 || text.charAt(text.length() - 1) != quote) {
            throw new LiteralSyntaxException("unterminated literal: it must end with " + quote);
        }
        String inner = text.substring(1, text.length() - 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(inner.length());
        int i = 0;
        while (i < inner.length()) {
            int plainEnd = i;
            while (plainEnd < inner.length() && inner.charAt(plainEnd) != '\\' && inner.charAt(plainEnd) != quote) {
                plainEnd++;
            }
            if (plainEnd > i) {
                // Runs without escapes are encoded whole: one conversion per run, not per character.
                out.writeBytes(inner.substring(i, plainEnd).getBytes(StandardCharsets.UTF_8));
                i = plainEnd;
                continue;
            }
            if (inner.charAt(i) == quote) {
                throw new LiteralSyntaxException("unescaped " + quote + " inside the literal; write \\" + quote);
            }
            if (i + 1 >= inner.length()) {
                throw new LiteralSyntaxException("a literal cannot end with a single \\");
            }
            char escape = inner.charAt(i + 1);
            i += 2;
            switch (escape) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case '0' -> out.write(0);
                case '\\', '"', '\'' -> out.write(escape);
                case 'x' -> {
                    int value = hex(inner, i, i + 2, "\\x needs two hex digits, as in \\x41");
                    if (value > 0x7F && !anyByte) {
                        throw new LiteralSyntaxException("\\x" + inner.substring(i, i + 2)
                                + " is not ASCII; in a string write \\u{...} instead");
                    }
                    out.write(value);
                    i += 2;
                }
                case 'u' -> {
                    int close = inner.indexOf('}', i);
                    if (i >= inner.length() || inner.charAt(i) != '{' || close < 0) {
                        throw new LiteralSyntaxException("\\u needs braces, as in \\u{1F600}");
                    }
                    int codePoint = hex(inner, i + 1, close, "\\u{...} needs 1 to 6 hex digits");
                    out.writeBytes(new String(Character.toChars(scalarValue(codePoint))).getBytes(StandardCharsets.UTF_8));
                    i = close + 1;
                }
                default -> throw new LiteralSyntaxException("unknown escape \\" + escape
                        + "; use \\n \\r \\t \\0 \\\\ \\\" \\' \\xNN or \\u{HEX}");
            }
        }
        return out.toByteArray();
    }

    /** A code point that is a Unicode scalar value (not a surrogate, at most U+10FFFF). */
    static int scalarValue(int codePoint) throws LiteralSyntaxException {
        if (codePoint < 0 || codePoint > Character.MAX_CODE_POINT
                || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
            throw new LiteralSyntaxException(String.format("U+%X is not a Unicode scalar value", codePoint));
        }
        return codePoint;
    }

    private static int hex(String text, int from, int to, String problem) throws LiteralSyntaxException {
        if (from >= to || to > text.length() || to - from > 6) {
            throw new LiteralSyntaxException(problem);
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                throw new LiteralSyntaxException(problem);
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
