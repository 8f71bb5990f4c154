package dev.relib.engine.call;

import java.math.BigDecimal;

/** Renders values the way Rust's {@code {:?}} does, so the shell's output reads like Rust. */
public final class DisplayText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private DisplayText() {
    }

    /** {@code "Many"}, {@code 'x'}: quoted, with {@code \n \t \r \0 \\}, the quote, and other controls escaped. */
    static String quote(String text, char quote) {
        StringBuilder out = new StringBuilder(text.length() + 2).append(quote);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0 -> out.append("\\0");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c == quote) {
                        out.append('\\').appendCodePoint(c);
                    } else if (Character.isISOControl(c)) {
                        out.append("\\u{").append(Integer.toHexString(c)).append('}');
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append(quote).toString();
    }

    /** {@code b"\x7fELF\0"}: printable ASCII as is, everything else escaped. */
    public static String byteString(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length + 3).append("b\"");
        for (byte b : bytes) {
            int c = b & 0xFF;
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0 -> out.append("\\0");
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                default -> {
                    if (c >= 0x20 && c < 0x7F) {
                        out.append((char) c);
                    } else {
                        out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Lower-case hex digits, two per byte. */
    public static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            out.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
        return out.toString();
    }

    /** {@code 0x7f3a2c001000}. */
    static String address(long address) {
        return "0x" + Long.toHexString(address);
    }

    /** As Rust's {@code {:?}}: {@code 3.5}, {@code 5.0}, {@code 1e20}, {@code inf}, {@code NaN}. */
    static String floating(String javaText, double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        double magnitude = Math.abs(value);
        if (magnitude != 0 && (magnitude >= 1e16 || magnitude < 1e-4)) {
            return javaText.replace("E", "e").replace(".0e", "e");
        }
        String plain = new BigDecimal(javaText).toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }
}
