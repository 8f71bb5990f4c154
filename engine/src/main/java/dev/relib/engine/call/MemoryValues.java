package dev.relib.engine.call;

import dev.relib.engine.error.CallError;
import dev.relib.engine.error.MemoryError;
import dev.relib.engine.error.SignatureError;

/**
 * Values as they lie in memory, little-endian, at their Rust/C size: what {@code read}, {@code write},
 * {@code print} and out-parameters decode and encode. The same types and literals as a call's.
 */
public final class MemoryValues {

    private MemoryValues() {
    }

    /**
     * A type that has a fixed size in memory: scalars, thin pointers ({@code *const c_char} included),
     * {@code Option<&T>}.
     *
     * @throws MemoryError.UnsupportedType for {@code ()}, {@code &str}, {@code &[u8]}, {@code String}, {@code Vec<u8>}
     * @throws SignatureError              when the text is not a type
     */
    public static ValueType type(String text) {
        ValueType type = SignatureParser.parse("() -> " + text).returnType();
        if (type == ValueType.Scalar.UNIT) {
            throw new MemoryError.UnsupportedType(text, "() has no bytes");
        }
        if (type instanceof ValueType.FatPointer || type instanceof ValueType.Owned) {
            throw new MemoryError.UnsupportedType(text, "it is a (pointer, length) pair, not one value; read its pointer "
                    + "as *const u8 and its bytes with x/Nxb");
        }
        return type;
    }

    /** Bytes a value of the type occupies. */
    public static int size(ValueType type) {
        if (type instanceof ValueType.Scalar scalar) {
            return scalar == ValueType.Scalar.BOOL ? 1 : scalar.bits() / 8;
        }
        return 8;
    }

    /** Whether the value is an address whose target the caller should read separately (a C string). */
    public static boolean isCString(ValueType type) {
        return type instanceof ValueType.CString;
    }

    /** The value in {@code bytes} (little-endian, {@link #size} long); a C string shows its address only. */
    public static ReturnValue decode(ValueType type, byte[] bytes) {
        long raw = 0;
        for (int i = bytes.length - 1; i >= 0; i--) {
            raw = raw << 8 | (bytes[i] & 0xFF);
        }
        if (type instanceof ValueType.CString) {
            return ReturnDecoder.register(new ValueType.Pointer(ValueType.PointerKind.CONST, "c_char"), raw);
        }
        return ReturnDecoder.register(type, raw);
    }

    /** A C string's bytes up to its NUL (or all of {@code bytes} with a note when none was found). */
    public static ReturnValue cString(byte[] bytes, boolean complete) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        byte[] text = java.util.Arrays.copyOf(bytes, end);
        if (end < bytes.length) {
            return ReturnDecoder.utf8(text, "");
        }
        return ReturnDecoder.utf8(text, complete ? " ... (no NUL in the first " + bytes.length + " bytes)"
                : " ... (unreadable after " + bytes.length + " bytes, no NUL before)");
    }

    /**
     * The literal as the type's bytes, with a call argument's syntax and range checks.
     *
     * @throws CallError.BadArgument when the text is not a value of the type
     */
    public static byte[] encode(ValueType type, String text) {
        if (type instanceof ValueType.CString) {
            throw new MemoryError.UnsupportedType(type.text(), "a C string is written as an address here (write it as "
                    + "*const u8), or its bytes into a buffer with: write [u8; N] ADDR b\"...\"");
        }
        ArgumentValue value = ArgumentConverter.convert(0, type, text);
        long bits = ((ArgumentValue.Bits) value).bits();
        byte[] out = new byte[size(type)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (bits >>> (8 * i));
        }
        return out;
    }
}
