package dev.relib.shell.values;

import java.math.BigInteger;

/** A kept value written back as a call argument would be typed, so {@code $N} passes exactly it. */
final class ValueLiteral {

    private ValueLiteral() {
    }

    /**
     * @param type  the canonical type the value was returned or read as
     * @param value as a call result holds it: Long, BigInteger, Double, Boolean, String, or null
     */
    static String of(String type, Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean || value instanceof BigInteger && !isAddress(type)) {
            // Booleans and integers above 2^63 (u64) are written as they print.
            return value.toString();
        }
        if (value instanceof Number number && !(value instanceof Double) && !(value instanceof Float)) {
            long bits = number instanceof BigInteger big ? big.longValue() : number.longValue();
            // @ADDRESS: the address itself, even where the parameter is a C string (text otherwise).
            return isAddress(type) ? "@0x" + Long.toHexString(bits) : Long.toString(bits);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d)) {
                return "nan";
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? "inf" : "-inf";
            }
            return Double.toString(d);
        }
        String text = value.toString();
        if (type.equals("char")) {
            return quote(text, '\'');
        }
        if (text.startsWith("hex:")) {
            return text;
        }
        return quote(text, '"');
    }

    private static boolean isAddress(String type) {
        return type.startsWith("*") || type.startsWith("&") || type.startsWith("Option<");
    }

    /** Rust escapes for what the argument converter reads back: quotes, backslash, controls. */
    private static String quote(String text, char quote) {
        StringBuilder out = new StringBuilder(text.length() + 2).append(quote);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0 -> out.append("\\0");
                case '\\' -> out.append("\\\\");
                case '"', '\'' -> out.append(c == quote ? "\\" + (char) c : String.valueOf((char) c));
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        out.append(String.format("\\u{%x}", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append(quote).toString();
    }
}
