package dev.relib.engine.call;

import dev.relib.engine.error.CallError;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Converts an argument as the user typed it into the value passed for its parameter type. Every
 * value is range-checked: {@code 300} for a {@code u8} is an error, never 44.
 *
 * <h2>Argument syntax</h2>
 * <dl>
 * <dt>integers ({@code i8 i16 i32 i64 isize u8 u16 u32 u64 usize})</dt>
 * <dd>decimal {@code 42}, hex {@code 0x2a}, binary {@code 0b101010}, octal {@code 0o52}; {@code _}
 * separators ({@code 1_000_000}); a leading {@code -} for signed types (and {@code +} for any).
 * {@code u64}/{@code usize} go up to {@code 18446744073709551615} ({@code 0xffff_ffff_ffff_ffff}).</dd>
 * <dt>{@code bool}</dt>
 * <dd>{@code true} or {@code false}.</dd>
 * <dt>{@code char}</dt>
 * <dd>{@code 'a'}, {@code a}, an escape in quotes ({@code '\n'}, <code>'&#92;u{1F600}'</code>) or {@code U+1F600};
 * a Unicode scalar value (no surrogates).</dd>
 * <dt>{@code f32}, {@code f64}</dt>
 * <dd>{@code 1.5}, {@code -2e10}, {@code .5}, {@code inf}, {@code -inf}, {@code nan}; a finite value too
 * large for the type is an error.</dd>
 * <dt>pointers ({@code *const T}, {@code *mut T}, {@code &T}, {@code &mut T})</dt>
 * <dd>an address: {@code 0x7f3a2c001000}, decimal, or {@code null} / {@code 0} (raw pointers only:
 * a reference cannot be null). Any pointer, C strings included, also takes {@code @ADDRESS}: that
 * address as is.</dd>
 * <dt>{@code Option<&T>}, {@code Option<&mut T>}</dt>
 * <dd>{@code None} (also {@code null}, {@code 0}), or an address, optionally as {@code Some(0x...)}.</dd>
 * <dt>{@code *const c_char} (C string)</dt>
 * <dd>{@code "quoted"} with the escapes <code>\n \r \t \" \\ \' \xNN &#92;u{1F600}</code>, or a bare word taken
 * as is; {@code null} passes a null pointer (write {@code "null"} for the text). It must not contain
 * a NUL byte; the terminating NUL is added.</dd>
 * <dt>{@code &str}</dt>
 * <dd>{@code "quoted"} (same escapes, and {@code \0}; {@code \xNN} at most {@code \x7f}) or a bare word;
 * passed as pointer and length.</dd>
 * <dt>{@code &[u8]}, {@code &mut [u8]}</dt>
 * <dd>{@code b"bytes"} (any {@code \xNN}), {@code [1, 2, 0xff]} (one argument; commas), {@code hex:0a0b},
 * or text ({@code "quoted"} or a bare word) as its UTF-8 bytes; passed as pointer and length.</dd>
 * </dl>
 */
public final class ArgumentConverter {

    /**
     * {@code @0x7f...}: this address, for any pointer parameter, C strings included (where a bare
     * word is text): how a kept {@code $N} buffer or {@code &MOD.SYMBOL} is passed.
     */
    public static final String ADDRESS_AS_IS = "@";
    private static final BigInteger ADDRESS_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final Pattern FLOAT = Pattern.compile("[+-]?(\\d[\\d_]*(\\.[\\d_]*)?|\\.\\d[\\d_]*)([eE][+-]?\\d[\\d_]*)?");

    private ArgumentConverter() {
    }

    /**
     * @param index the argument's 0-based position, for the error message
     * @throws CallError.BadArgument when the text does not parse as the type or is out of its range
     */
    public static ArgumentValue convert(int index, ValueType type, String text) {
        try {
            return convert(type, text);
        } catch (LiteralSyntaxException e) {
            throw new CallError.BadArgument(index, type.text(), text, e.getMessage());
        }
    }

    private static ArgumentValue convert(ValueType type, String text) throws LiteralSyntaxException {
        if (text.startsWith(ADDRESS_AS_IS)) {
            return new ArgumentValue.Bits(addressAsIs(type, text.substring(ADDRESS_AS_IS.length())));
        }
        if (type instanceof ValueType.Scalar scalar) {
            return new ArgumentValue.Bits(scalar(scalar, scalar == ValueType.Scalar.CHAR ? text.strip() : plainWord(text)));
        }
        if (type instanceof ValueType.Pointer pointer) {
            long address = address(plainWord(text));
            if (address == 0 && !pointer.kind().nullable()) {
                throw new LiteralSyntaxException("a reference cannot be null; use *const T or Option<&T> for that");
            }
            return new ArgumentValue.Bits(address);
        }
        if (type instanceof ValueType.OptionRef) {
            return new ArgumentValue.Bits(optionAddress(plainWord(text)));
        }
        if (type instanceof ValueType.CString) {
            return text.equals("null") ? new ArgumentValue.Bits(0) : new ArgumentValue.Bytes(cString(text));
        }
        if (type == ValueType.FatPointer.STR) {
            return new ArgumentValue.Bytes(text(text, false));
        }
        if (type instanceof ValueType.FatPointer) {
            return new ArgumentValue.Bytes(bytes(text));
        }
        throw new LiteralSyntaxException(type.text() + " can only be returned, not passed");
    }

    private static long scalar(ValueType.Scalar type, String text) throws LiteralSyntaxException {
        return switch (type) {
            case UNIT -> throw new LiteralSyntaxException("() cannot be passed");
            case BOOL -> switch (text) {
                case "true" -> 1;
                case "false" -> 0;
                default -> throw new LiteralSyntaxException("expected true or false");
            };
            case F32 -> Float.floatToRawIntBits((float) floating(text, true)) & 0xFFFF_FFFFL;
            case F64 -> Double.doubleToRawLongBits(floating(text, false));
            case CHAR -> character(text);
            default -> integer(type, text);
        };
    }

    private static long integer(ValueType.Scalar type, String text) throws LiteralSyntaxException {
        BigInteger value = parseInteger(text);
        if (value.compareTo(type.min()) < 0 || value.compareTo(type.max()) > 0) {
            throw new LiteralSyntaxException(value + " is out of range for " + type.text()
                    + " (" + type.min() + "..=" + type.max() + ")");
        }
        return value.longValue();
    }

    /** Decimal, {@code 0x}, {@code 0b}, {@code 0o}; {@code _} separators; an optional sign. */
    static BigInteger parseInteger(String text) throws LiteralSyntaxException {
        String digits = text;
        boolean negative = false;
        if (digits.startsWith("-") || digits.startsWith("+")) {
            negative = digits.charAt(0) == '-';
            digits = digits.substring(1);
        }
        int radix = 10;
        if (digits.startsWith("0X") || digits.startsWith("0B") || digits.startsWith("0O")) {
            throw new LiteralSyntaxException("write the prefix in lower case, as Rust does: 0x, 0b or 0o");
        }
        if (digits.startsWith("0x") || digits.startsWith("0b") || digits.startsWith("0o")) {
            radix = switch (digits.charAt(1)) {
                case 'x' -> 16;
                case 'b' -> 2;
                default -> 8;
            };
            digits = digits.substring(2);
        }
        if (digits.startsWith("_") && radix == 10) {
            throw new LiteralSyntaxException("not a number");
        }
        digits = digits.replace("_", "");
        if (digits.isEmpty() || digits.startsWith("-") || digits.startsWith("+")) {
            throw new LiteralSyntaxException(text.isEmpty() ? "empty; expected a number" : "not a number");
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) > 0x7F) {
                // BigInteger would read other scripts' digits (U+0661, U+FF11); Rust reads ASCII only.
                throw new LiteralSyntaxException("'" + digits.charAt(i) + "' is not an ASCII digit; write numbers with 0-9"
                        + (radix == 16 ? ", a-f" : ""));
            }
        }
        try {
            BigInteger value = new BigInteger(digits, radix);
            return negative ? value.negate() : value;
        } catch (NumberFormatException e) {
            throw new LiteralSyntaxException(radix == 10
                    ? "not a number (write integers as 42, -7, 0x2a, 0b101, 0o52 or 1_000)"
                    : "not a base-" + radix + " number");
        }
    }

    private static double floating(String text, boolean single) throws LiteralSyntaxException {
        String lower = text.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (unsigned.equals("nan")) {
            return Double.NaN;
        }
        if (!FLOAT.matcher(text).matches()) {
            throw new LiteralSyntaxException("not a number (write floats as 1.5, -2e10, inf or nan)");
        }
        String plain = text.replace("_", "");
        double value = single ? Float.parseFloat(plain) : Double.parseDouble(plain);
        if (Double.isInfinite(value)) {
            throw new LiteralSyntaxException(text + " is out of range for " + (single ? "f32" : "f64")
                    + " (largest " + (single ? Float.MAX_VALUE : Double.MAX_VALUE) + ")");
        }
        return value;
    }

    private static long character(String text) throws LiteralSyntaxException {
        int codePoint;
        if (text.length() > 2 && (text.startsWith("U+") || text.startsWith("u+"))) {
            try {
                codePoint = Integer.parseInt(text.substring(2), 16);
            } catch (NumberFormatException e) {
                throw new LiteralSyntaxException("U+ needs hex digits, as in U+1F600");
            }
        } else if (text.startsWith("'")) {
            String decoded = new String(StringLiteral.unquote(text, '\'', false), StandardCharsets.UTF_8);
            codePoint = single(decoded);
        } else {
            codePoint = single(text);
        }
        return StringLiteral.scalarValue(codePoint);
    }

    private static int single(String text) throws LiteralSyntaxException {
        if (text.isEmpty() || text.codePointCount(0, text.length()) != 1) {
            throw new LiteralSyntaxException("expected one character: 'a', a, '\\n' or U+1F600");
        }
        return text.codePointAt(0);
    }

    private static long address(String text) throws LiteralSyntaxException {
        if (text.equals("null")) {
            return 0;
        }
        BigInteger value;
        try {
            value = parseInteger(text);
        } catch (LiteralSyntaxException e) {
            throw new LiteralSyntaxException("not an address (write 0x7f3a2c001000, a decimal address or null)");
        }
        if (value.signum() < 0 || value.compareTo(ADDRESS_MAX) > 0) {
            throw new LiteralSyntaxException(text + " is out of range for an address (0..=0xffffffffffffffff)");
        }
        return value.longValue();
    }

    private static long addressAsIs(ValueType type, String text) throws LiteralSyntaxException {
        boolean pointer = type instanceof ValueType.Pointer || type instanceof ValueType.CString
                || type instanceof ValueType.OptionRef;
        if (!pointer) {
            throw new LiteralSyntaxException("@ADDRESS passes an address, and " + type.text() + " is not a pointer");
        }
        long address = address(text.strip());
        if (address == 0 && type instanceof ValueType.Pointer p && !p.kind().nullable()) {
            throw new LiteralSyntaxException("a reference cannot be null; use *const T or Option<&T> for that");
        }
        return address;
    }

    private static long optionAddress(String text) throws LiteralSyntaxException {
        if (text.equals("None") || text.equals("none")) {
            return 0;
        }
        if (text.startsWith("Some(") && text.endsWith(")")) {
            long address = address(text.substring(5, text.length() - 1).strip());
            if (address == 0) {
                throw new LiteralSyntaxException("Some(...) needs a non-null address; write None for none");
            }
            return address;
        }
        return address(text);
    }

    private static byte[] cString(String text) throws LiteralSyntaxException {
        byte[] content = text.startsWith("\"") ? StringLiteral.unquote(text, '"', true)
                : shellQuoted(text).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < content.length; i++) {
            if (content[i] == 0) {
                throw new LiteralSyntaxException("contains a NUL byte at offset " + i + ", where a C string would end");
            }
        }
        byte[] terminated = new byte[content.length + 1];
        System.arraycopy(content, 0, terminated, 0, content.length);
        return terminated;
    }

    private static byte[] text(String text, boolean anyByte) throws LiteralSyntaxException {
        if (text.startsWith("\"")) {
            return StringLiteral.unquote(text, '"', anyByte);
        }
        return shellQuoted(text).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A number, address or name the user quoted anyway ({@code "42"}, {@code '0x10'}): its text
     * without the quotes. Anything else, stripped.
     */
    private static String plainWord(String text) throws LiteralSyntaxException {
        String stripped = text.strip();
        if (stripped.length() >= 2 && stripped.startsWith("\"")) {
            return new String(StringLiteral.unquote(stripped, '"', false), StandardCharsets.UTF_8).strip();
        }
        return shellQuoted(stripped).strip();
    }

    /** {@code 'text'}: taken as is, no escapes, as a POSIX shell's single quotes. */
    private static String shellQuoted(String text) {
        boolean singleQuoted = text.length() >= 2 && text.startsWith("'") && text.endsWith("'");
        return singleQuoted ? text.substring(1, text.length() - 1) : text;
    }

    private static byte[] bytes(String text) throws LiteralSyntaxException {
        if (text.startsWith("b\"")) {
            return StringLiteral.unquote(text.substring(1), '"', true);
        }
        if (text.startsWith("hex:")) {
            return hex(text.substring(4));
        }
        if (text.startsWith("[")) {
            return list(text);
        }
        return text(text, true);
    }

    private static byte[] hex(String digits) throws LiteralSyntaxException {
        String plain = digits.replace("_", "").replace(" ", "");
        if (plain.length() % 2 != 0) {
            throw new LiteralSyntaxException("hex: needs an even number of hex digits, two per byte");
        }
        byte[] out = new byte[plain.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int high = Character.digit(plain.charAt(2 * i), 16);
            int low = Character.digit(plain.charAt(2 * i + 1), 16);
            if (high < 0 || low < 0) {
                throw new LiteralSyntaxException("'" + plain.substring(2 * i, 2 * i + 2) + "' is not a hex byte");
            }
            out[i] = (byte) (high << 4 | low);
        }
        return out;
    }

    private static byte[] list(String text) throws LiteralSyntaxException {
        if (!text.endsWith("]")) {
            throw new LiteralSyntaxException("a byte list must end with ]");
        }
        String inner = text.substring(1, text.length() - 1).strip();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (inner.isEmpty()) {
            return out.toByteArray();
        }
        String[] items = inner.split(",", -1);
        for (int i = 0; i < items.length; i++) {
            String item = items[i].strip();
            if (item.isEmpty() && i == items.length - 1 && i > 0) {
                break;
            }
            BigInteger value;
            try {
                value = parseInteger(item);
            } catch (LiteralSyntaxException e) {
                throw new LiteralSyntaxException("byte " + (i + 1) + " ('" + item + "') is " + e.getMessage());
            }
            if (value.signum() < 0 || value.intValue() > 255 || value.bitLength() > 8) {
                throw new LiteralSyntaxException("byte " + (i + 1) + " (" + value + ") is out of range for u8 (0..=255)");
            }
            out.write(value.intValue());
        }
        return out.toByteArray();
    }
}
