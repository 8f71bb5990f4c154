package dev.relib.engine.elf;

/** Little-endian field access into a byte array; callers bound {@code at} against the array first. */
final class LittleEndian {

    private LittleEndian() {
    }

    static int u8(byte[] bytes, int at) {
        return bytes[at] & 0xff;
    }

    static int u16(byte[] bytes, int at) {
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8;
    }

    /** A 32-bit unsigned field, widened so it never reads as negative. */
    static long u32(byte[] bytes, int at) {
        return (u16(bytes, at) | (long) u16(bytes, at + 2) << 16) & 0xffff_ffffL;
    }

    /** A 64-bit field as Java's signed long; offsets with the top bit set fail every bounds check. */
    static long u64(byte[] bytes, int at) {
        return u32(bytes, at) | u32(bytes, at + 4) << 32;
    }
}
