package dev.relib.inspectors.symbols;

import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.elf.SectionHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads DWARF sections from an object, inflating zlib-compressed ones: {@code SHF_COMPRESSED}
 * sections (what {@code gcc -gz} and {@code objcopy --compress-debug-sections} write) and the
 * older {@code .zdebug_*} sections. zstd-compressed sections are refused with a message.
 */
final class DebugSections {

    /** must match: ELF gABI, {@code SHF_COMPRESSED} and {@code Elf64_Chdr} */
    private static final long SHF_COMPRESSED = 0x800;
    private static final int ELFCOMPRESS_ZLIB = 1;
    private static final int ELFCOMPRESS_ZSTD = 2;
    private static final int CHDR_SIZE = 24;
    /** Refuses to inflate into more than this: a damaged header must not exhaust the heap. */
    private static final long MAX_INFLATED = 1L << 30;

    private DebugSections() {
    }

    /**
     * The bytes of {@code .debug_NAME} (or {@code .zdebug_NAME}), inflated when compressed.
     *
     * @param name without the leading dot and prefix: "line", "line_str", "str", "info", "abbrev"
     * @throws DwarfFormatException when the section is compressed in a way not read here or damaged
     */
    static Optional<byte[]> read(ElfFile elf, String name) {
        Optional<SectionHeader> plain = elf.section(".debug_" + name);
        if (plain.isPresent()) {
            byte[] bytes = elf.sectionBytes(".debug_" + name).orElseThrow();
            if ((plain.get().flags() & SHF_COMPRESSED) != 0) {
                return Optional.of(inflateElfCompressed(bytes, ".debug_" + name));
            }
            return Optional.of(bytes);
        }
        return elf.sectionBytes(".zdebug_" + name).map(bytes -> inflateZdebug(bytes, ".zdebug_" + name));
    }

    private static byte[] inflateElfCompressed(byte[] bytes, String section) {
        if (bytes.length < CHDR_SIZE) {
            throw new DwarfFormatException(section + ": compressed section shorter than its header");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int type = header.getInt(0);
        long size = header.getLong(8);
        if (type == ELFCOMPRESS_ZSTD) {
            throw new DwarfFormatException(section + ": compressed debug info (zstd) not supported;"
                    + " rebuild with -gz=zlib or decompress with objcopy --decompress-debug-sections");
        }
        if (type != ELFCOMPRESS_ZLIB) {
            throw new DwarfFormatException(section + ": compressed debug info of type " + type + " not supported");
        }
        return inflate(bytes, CHDR_SIZE, size, section);
    }

    /** {@code .zdebug_*}: "ZLIB", the inflated size as a big-endian u64, then a zlib stream. */
    private static byte[] inflateZdebug(byte[] bytes, String section) {
        if (bytes.length < 12 || bytes[0] != 'Z' || bytes[1] != 'L' || bytes[2] != 'I' || bytes[3] != 'B') {
            throw new DwarfFormatException(section + ": no ZLIB header");
        }
        long size = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).getLong(4);
        return inflate(bytes, 12, size, section);
    }

    private static byte[] inflate(byte[] bytes, int offset, long size, String section) {
        if (size < 0 || size > MAX_INFLATED) {
            throw new DwarfFormatException(section + ": compressed section claims " + Long.toUnsignedString(size) + " bytes");
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(bytes, offset, bytes.length - offset);
            byte[] out = new byte[(int) size];
            int filled = 0;
            while (filled < out.length) {
                int n = inflater.inflate(out, filled, out.length - filled);
                if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                filled += n;
            }
            if (filled != out.length) {
                throw new DwarfFormatException(section + ": inflated to " + filled + " of " + size + " bytes");
            }
            return out;
        } catch (DataFormatException e) {
            throw new DwarfFormatException(section + ": damaged zlib stream (" + e.getMessage() + ")");
        } finally {
            inflater.end();
        }
    }
}
