package dev.relib.engine.elf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Damaged copies of real objects, written into a test's temporary directory. */
final class ElfFixtures {

    static final int E_IDENT_CLASS = 4;
    static final int E_IDENT_DATA = 5;
    static final int E_TYPE = 16;
    static final int E_MACHINE = 18;
    static final int E_SHOFF = 40;

    private ElfFixtures() {
    }

    static byte[] bytes(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code length} bytes of {@code original}. */
    static Path truncated(Path original, Path dir, long length) {
        return write(dir, "cut-at-" + length + ".so", Arrays.copyOf(bytes(original), (int) length));
    }

    static Path withByte(Path original, Path dir, int offset, int value) {
        byte[] bytes = bytes(original);
        bytes[offset] = (byte) value;
        return write(dir, "byte-" + offset + "-" + value + ".so", bytes);
    }

    static Path withU16(Path original, Path dir, int offset, int value) {
        byte[] bytes = bytes(original);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(offset, (short) value);
        return write(dir, "u16-" + offset + "-" + value + ".so", bytes);
    }

    static Path withU64(Path original, Path dir, int offset, long value) {
        byte[] bytes = bytes(original);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, value);
        return write(dir, "u64-" + offset + "-" + value + ".so", bytes);
    }

    static Path withU32(Path original, Path dir, long offset, int value) {
        byte[] bytes = bytes(original);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(Math.toIntExact(offset), value);
        return write(dir, "u32-" + offset + "-" + value + ".so", bytes);
    }
}
