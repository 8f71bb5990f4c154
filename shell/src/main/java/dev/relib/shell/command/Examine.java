package dev.relib.shell.command;

import dev.relib.shell.UsageException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * gdb's {@code x/NFU}: N units of U ({@code b} 1, {@code h} 2, {@code w} 4, {@code g} 8 bytes) shown as
 * F ({@code x} hex, {@code d} signed, {@code u} unsigned, {@code o} octal, {@code t} binary,
 * {@code c} characters, {@code a} addresses, {@code s} C strings). Defaults: 1, {@code x}, {@code w}.
 *
 * @param count  N
 * @param format F
 * @param unit   bytes per unit
 */
record Examine(int count, char format, int unit) {

    /** More than any look at memory needs; a typo like {@code x/99999999xg} is refused. */
    static final int MAX_BYTES = 1 << 16;

    /** Parses the part after {@code x/} ({@code 16xb}, {@code s}, {@code 4dw}), or "" for the defaults. */
    static Examine parse(String spec) {
        int i = 0;
        while (i < spec.length() && spec.charAt(i) >= '0' && spec.charAt(i) <= '9') {
            i++;
        }
        int count = 1;
        if (i > 0) {
            try {
                count = Integer.parseInt(spec.substring(0, i));
            } catch (NumberFormatException e) {
                count = Integer.MAX_VALUE;
            }
        }
        char format = 0;
        int unit = 0;
        for (; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if ("xduotcas".indexOf(c) >= 0 && format == 0) {
                format = c;
            } else if ("bhwg".indexOf(c) >= 0 && unit == 0) {
                unit = switch (c) {
                    case 'b' -> 1;
                    case 'h' -> 2;
                    case 'w' -> 4;
                    default -> 8;
                };
            } else {
                throw new UsageException("x/" + spec + ": '" + c + "' is not a format (x d u o t c a s) or unit (b h w g); "
                        + "e.g. x/16xb ADDR, x/4dw ADDR, x/s ADDR");
            }
        }
        if (format == 0) {
            format = 'x';
        }
        if (unit == 0) {
            unit = format == 'c' ? 1 : format == 'a' ? 8 : 4;
        }
        if (format == 'a' && unit != 8) {
            throw new UsageException("x/" + spec + ": addresses are 8 bytes; drop the unit or write g");
        }
        if (count < 1 || (long) count * unit > MAX_BYTES) {
            throw new UsageException("x/" + spec + ": count must be 1 to " + MAX_BYTES / unit + " for " + unit + "-byte units");
        }
        return new Examine(count, format, unit);
    }

    int bytes() {
        return count * unit;
    }

    /** Units per output line, as gdb lays them out. */
    int perLine() {
        return unit <= 2 ? 8 : unit == 4 ? 4 : 2;
    }

    /** The units of {@code bytes}, each formatted. */
    List<String> units(byte[] bytes) {
        List<String> out = new ArrayList<>(count);
        for (int u = 0; u < count; u++) {
            long raw = 0;
            for (int b = unit - 1; b >= 0; b--) {
                raw = raw << 8 | (bytes[u * unit + b] & 0xFF);
            }
            out.add(format(raw));
        }
        return out;
    }

    private String format(long raw) {
        int bits = unit * 8;
        long signed = bits == 64 ? raw : raw << (64 - bits) >> (64 - bits);
        return switch (format) {
            case 'x' -> String.format("0x%0" + unit * 2 + "x", raw);
            case 'd' -> Long.toString(signed);
            case 'u' -> new BigInteger(Long.toUnsignedString(raw)).toString();
            case 'o' -> "0" + Long.toOctalString(raw);
            case 't' -> String.format("%" + bits + "s", Long.toBinaryString(raw)).replace(' ', '0');
            case 'c' -> signed + " " + charLiteral((int) (raw & 0xFF));
            default -> "0x" + Long.toHexString(raw);
        };
    }

    private static String charLiteral(int c) {
        return switch (c) {
            case '\n' -> "'\\n'";
            case '\t' -> "'\\t'";
            case '\r' -> "'\\r'";
            case 0 -> "'\\0'";
            case '\'' -> "'\\''";
            case '\\' -> "'\\\\'";
            default -> c >= 0x20 && c < 0x7F ? "'" + (char) c + "'" : String.format("'\\x%02x'", c);
        };
    }
}
