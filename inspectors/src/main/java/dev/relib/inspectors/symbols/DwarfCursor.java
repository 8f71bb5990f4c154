package dev.relib.inspectors.symbols;

import java.nio.charset.StandardCharsets;

/**
 * A bounded little-endian reader over one DWARF section. Every read is checked against the limit
 * so damaged input yields a {@link DwarfFormatException}, never an index exception.
 */
final class DwarfCursor {

    private final byte[] bytes;
    private final String section;
    private int position;
    private int limit;

    DwarfCursor(byte[] bytes, String section) {
        this.bytes = bytes;
        this.section = section;
        this.limit = bytes.length;
    }

    int position() {
        return position;
    }

    int limit() {
        return limit;
    }

    boolean hasRemaining() {
        return position < limit;
    }

    void seek(long offset) {
        if (offset < 0 || offset > limit) {
            throw error("offset " + offset + " outside the section (" + limit + " bytes)");
        }
        position = (int) offset;
    }

    /** Restricts reads to {@code [position, end)}; {@code end} must lie inside the current limit. */
    void limitTo(long end) {
        if (end < position || end > limit) {
            throw error("length runs past the end of the section (to " + end + ", section has " + limit + ")");
        }
        limit = (int) end;
    }

    void resetLimit() {
        limit = bytes.length;
    }

    void skip(long count) {
        require(count);
        position += (int) count;
    }

    int u8() {
        require(1);
        return bytes[position++] & 0xff;
    }

    int s8() {
        require(1);
        return bytes[position++];
    }

    int u16() {
        require(2);
        int value = (bytes[position] & 0xff) | (bytes[position + 1] & 0xff) << 8;
        position += 2;
        return value;
    }

    int u24() {
        require(3);
        int value = (bytes[position] & 0xff) | (bytes[position + 1] & 0xff) << 8 | (bytes[position + 2] & 0xff) << 16;
        position += 3;
        return value;
    }

    long u32() {
        require(4);
        long value = (bytes[position] & 0xffL) | (bytes[position + 1] & 0xffL) << 8
                | (bytes[position + 2] & 0xffL) << 16 | (bytes[position + 3] & 0xffL) << 24;
        position += 4;
        return value;
    }

    long u64() {
        long low = u32();
        return low | u32() << 32;
    }

    /** An unsigned integer of {@code size} bytes (1, 2, 4 or 8). */
    long unsigned(int size) {
        return switch (size) {
            case 1 -> u8();
            case 2 -> u16();
            case 4 -> u32();
            case 8 -> u64();
            default -> throw error("unsupported field size " + size);
        };
    }

    long uleb() {
        long result = 0;
        int shift = 0;
        while (true) {
            int b = u8();
            if (shift < 64) {
                result |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
    }

    /** An unsigned LEB128 that must fit an {@code int}: counts, indices, lengths. */
    int ulebInt(String what) {
        long value = uleb();
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw error(what + " " + Long.toUnsignedString(value) + " is out of range");
        }
        return (int) value;
    }

    long sleb() {
        long result = 0;
        int shift = 0;
        int b;
        do {
            b = u8();
            if (shift < 64) {
                result |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) {
            result |= -1L << shift;
        }
        return result;
    }

    /** A NUL-terminated UTF-8 string. */
    String cstring() {
        int end = position;
        while (end < limit && bytes[end] != 0) {
            end++;
        }
        if (end >= limit) {
            throw error("unterminated string at offset " + position);
        }
        String value = new String(bytes, position, end - position, StandardCharsets.UTF_8);
        position = end + 1;
        return value;
    }

    /** The NUL-terminated string at {@code offset} of a whole section (.debug_str, .debug_line_str). */
    static String stringAt(byte[] section, long offset, String name) {
        if (section == null) {
            throw new DwarfFormatException("a string refers to " + name + ", which the object lacks");
        }
        DwarfCursor cursor = new DwarfCursor(section, name);
        cursor.seek(offset);
        return cursor.cstring();
    }

    DwarfFormatException error(String what) {
        return new DwarfFormatException(section + ": " + what);
    }

    private void require(long count) {
        if (count < 0 || count > limit - position) {
            throw error("truncated at offset " + position + " (needs " + count + " bytes, " + (limit - position) + " left)");
        }
    }
}
