package dev.relib.engine.call;

import com.kenai.jffi.MemoryIO;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Turns a returned register value (or pointer and length) into a {@link ReturnValue}, once per call batch. */
final class ReturnDecoder {

    /** At most this many bytes of a returned string or slice are read; the display says when it was cut. */
    static final int READ_LIMIT = 1 << 20;

    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private ReturnDecoder() {
    }

    /** A value returned in one register: scalars, pointers, C strings. */
    static ReturnValue register(ValueType type, long raw) {
        if (type instanceof ValueType.Scalar scalar) {
            return scalar(scalar, raw);
        }
        if (type instanceof ValueType.CString) {
            return raw == 0 ? new ReturnValue(null, "null") : cString(raw);
        }
        return raw == 0 ? new ReturnValue(null, "null") : new ReturnValue(unsigned(raw), DisplayText.address(raw));
    }

    /** A (pointer, length) pair: {@code &str}, {@code &[u8]}, or an owned String / Vec<u8>. */
    static ReturnValue pair(ValueType type, long pointer, long length) {
        boolean text = type == ValueType.FatPointer.STR || type == ValueType.Owned.STRING;
        if (pointer == 0) {
            String display = length == 0 ? "null" : "null pointer with length " + Long.toUnsignedString(length);
            return new ReturnValue(null, display);
        }
        boolean cut = Long.compareUnsigned(length, READ_LIMIT) > 0;
        byte[] bytes = new byte[cut ? READ_LIMIT : (int) length];
        MEMORY.getByteArray(pointer, bytes, 0, bytes.length);
        String note = cut ? " ... (first " + READ_LIMIT + " of " + Long.toUnsignedString(length) + " bytes)" : "";
        if (!text) {
            return new ReturnValue("hex:" + DisplayText.hex(bytes), DisplayText.byteString(bytes) + note);
        }
        return utf8(bytes, note);
    }

    private static ReturnValue scalar(ValueType.Scalar type, long raw) {
        return switch (type) {
            case UNIT -> new ReturnValue(null, "()");
            case BOOL -> {
                boolean value = (raw & 0xFF) != 0;
                yield new ReturnValue(value, Boolean.toString(value));
            }
            case I8 -> integer((byte) raw);
            case I16 -> integer((short) raw);
            case I32 -> integer((int) raw);
            case I64, ISIZE -> integer(raw);
            case U8 -> integer(raw & 0xFF);
            case U16 -> integer(raw & 0xFFFF);
            case U32 -> integer(raw & 0xFFFF_FFFFL);
            case U64, USIZE -> {
                Object value = unsigned(raw);
                yield new ReturnValue(value, value.toString());
            }
            case F32 -> {
                float value = Float.intBitsToFloat((int) raw);
                String text = Float.toString(value);
                double widened = Float.isFinite(value) ? Double.parseDouble(text) : value;
                yield new ReturnValue(widened, DisplayText.floating(text, value));
            }
            case F64 -> {
                double value = Double.longBitsToDouble(raw);
                yield new ReturnValue(value, DisplayText.floating(Double.toString(value), value));
            }
            case CHAR -> character((int) raw);
        };
    }

    private static ReturnValue integer(long value) {
        return new ReturnValue(value, Long.toString(value));
    }

    /** Long when it fits, else BigInteger. */
    private static Object unsigned(long raw) {
        return raw >= 0 ? (Object) raw : new BigInteger(Long.toUnsignedString(raw));
    }

    private static ReturnValue character(int codePoint) {
        boolean valid = Character.isValidCodePoint(codePoint)
                && !(codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE);
        if (!valid) {
            long raw = codePoint & 0xFFFF_FFFFL;
            return new ReturnValue(raw, String.format("invalid char 0x%x (not a Unicode scalar value)", raw));
        }
        String value = new String(Character.toChars(codePoint));
        return new ReturnValue(value, DisplayText.quote(value, '\''));
    }

    private static ReturnValue cString(long address) {
        long end = MEMORY.indexOf(address, (byte) 0, READ_LIMIT);
        boolean cut = end < 0;
        byte[] bytes = new byte[cut ? READ_LIMIT : (int) end];
        MEMORY.getByteArray(address, bytes, 0, bytes.length);
        return utf8(bytes, cut ? " ... (no NUL in the first " + READ_LIMIT + " bytes)" : "");
    }

    static ReturnValue utf8(byte[] bytes, String note) {
        String value = new String(bytes, StandardCharsets.UTF_8);
        String invalid = isValidUtf8(bytes) ? "" : " (invalid UTF-8, shown as U+FFFD)";
        return new ReturnValue(value, DisplayText.quote(value, '"') + note + invalid);
    }

    private static boolean isValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
