package dev.relib.engine.corpus;

import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.elf.ElfHeader;
import dev.relib.engine.elf.ProgramHeader;
import dev.relib.engine.elf.SectionHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Damaged copies of real shared objects, made the way a new user's tries would damage them: bytes
 * and whole fields overwritten in one part of the file at a time (ELF header, program headers,
 * dynamic array, section headers, symbol and string tables, relocations, hash and version tables,
 * initializer arrays, notes, debug sections, the SDK manifest) or the file cut short. Deterministic
 * for a seed, so a failing copy can be made again from its name.
 */
final class MutationCorpus {

    /** The part of the file a copy is damaged in; the corpus table has a row for each. */
    enum Region {
        ELF_HEADER, PROGRAM_HEADERS, DYNAMIC, SECTION_HEADERS, DYNAMIC_SYMBOLS, SYMBOL_TABLE, RELOCATIONS,
        HASH_AND_VERSIONS, INIT_ARRAYS, NOTES, DEBUG_SECTIONS, SDK_MANIFEST, TRUNCATION
    }

    /** One damaged copy: where it came from and what was done to it. */
    record Case(String name, Path original, Region region, String change, byte[] bytes) {

        Path writeTo(Path dir) {
            try {
                return Files.write(dir.resolve("lib" + name + ".so"), bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A byte range of one original, and the size of the entries in it (1 for unstructured bytes). */
    private record Range(long offset, long size, int entrySize) {
    }

    private static final long[] INTERESTING = {0, 1, 2, 7, 8, 24, 0x7f, 0xff, 0x1000, 0xffff, 0x7fff_ffffL,
            0xffff_ffffL, 0x1_0000_0000L, Long.MAX_VALUE, -1, -8};

    private final Random random;
    private final List<Original> originals = new ArrayList<>();

    private record Original(Path path, String shortName, byte[] bytes, Map<Region, List<Range>> ranges) {
    }

    MutationCorpus(List<Path> files, long seed) {
        this.random = new Random(seed);
        for (Path file : files) {
            originals.add(describe(file));
        }
    }

    /** {@code count} copies, spread over the originals and over the regions each of them has. */
    List<Case> generate(int count) {
        List<Case> cases = new ArrayList<>();
        Region[] regions = Region.values();
        for (int i = 0; i < count; i++) {
            Original original = originals.get(i % originals.size());
            Region region = regions[(i / originals.size()) % regions.length];
            if (region != Region.TRUNCATION && original.ranges().getOrDefault(region, List.of()).isEmpty()) {
                region = Region.DYNAMIC;
            }
            cases.add(mutate(original, region, i));
        }
        return cases;
    }

    private Case mutate(Original original, Region region, int number) {
        byte[] bytes = original.bytes().clone();
        String name = original.shortName() + "-" + region.name().toLowerCase().replace('_', '-') + "-" + number;
        if (region == Region.TRUNCATION) {
            int cut = random.nextInt(bytes.length);
            return new Case(name, original.path(), region, "cut at " + cut + " of " + bytes.length,
                    Arrays.copyOf(bytes, cut));
        }
        List<Range> ranges = original.ranges().get(region);
        StringBuilder change = new StringBuilder();
        int changes = 1 + random.nextInt(3);
        for (int c = 0; c < changes; c++) {
            Range range = ranges.get(random.nextInt(ranges.size()));
            if (range.entrySize() > 1 && random.nextBoolean()) {
                change.append(fieldChange(bytes, range));
            } else {
                int at = (int) (range.offset() + random.nextInt((int) Math.max(1, range.size())));
                int value = random.nextInt(4) == 0 ? 0xff : random.nextInt(256);
                change.append(String.format("byte %#x: %02x -> %02x; ", at, bytes[at] & 0xff, value));
                bytes[at] = (byte) value;
            }
        }
        return new Case(name, original.path(), region, change.toString().strip(), bytes);
    }

    /** Overwrites one aligned 8-, 4- or 2-byte field of one entry with a value that tends to matter. */
    private String fieldChange(byte[] bytes, Range range) {
        int entries = (int) Math.max(1, range.size() / range.entrySize());
        long entry = range.offset() + (long) random.nextInt(entries) * range.entrySize();
        int width = new int[] {8, 4, 2}[random.nextInt(3)];
        int field = random.nextInt(Math.max(1, range.entrySize() / width)) * width;
        int at = (int) (entry + field);
        if (at + width > bytes.length) {
            return "";
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long old = width == 8 ? buffer.getLong(at) : width == 4 ? buffer.getInt(at) & 0xffff_ffffL : buffer.getShort(at) & 0xffff;
        long value = switch (random.nextInt(4)) {
            case 0 -> INTERESTING[random.nextInt(INTERESTING.length)];
            case 1 -> old + (random.nextBoolean() ? 1 : -1) * (1L << random.nextInt(20));
            case 2 -> old ^ (1L << random.nextInt(width * 8));
            default -> random.nextLong();
        };
        switch (width) {
            case 8 -> buffer.putLong(at, value);
            case 4 -> buffer.putInt(at, (int) value);
            default -> buffer.putShort(at, (short) value);
        }
        return String.format("u%d at %#x: %#x -> %#x; ", width * 8, at, old, width == 8 ? value
                : value & (width == 4 ? 0xffff_ffffL : 0xffff));
    }

    private static Original describe(Path file) {
        ElfFile elf = ElfFile.open(file);
        ElfHeader header = elf.header();
        Map<Region, List<Range>> ranges = new EnumMap<>(Region.class);
        add(ranges, Region.ELF_HEADER, 0, ElfHeader.SIZE, 1);
        add(ranges, Region.PROGRAM_HEADERS, header.programHeaderOffset(),
                (long) header.programHeaderCount() * ProgramHeader.ENTRY_SIZE, ProgramHeader.ENTRY_SIZE);
        add(ranges, Region.SECTION_HEADERS, header.sectionHeaderOffset(),
                (long) header.sectionHeaderCount() * SectionHeader.ENTRY_SIZE, SectionHeader.ENTRY_SIZE);
        for (SectionHeader section : elf.sections()) {
            Region region = regionOf(section.name());
            if (region != null && section.hasFileBytes() && section.size() > 0) {
                int entrySize = section.entrySize() > 1 && section.entrySize() <= 64 ? (int) section.entrySize() : 1;
                add(ranges, region, section.offset(), section.size(), entrySize);
            }
        }
        String shortName = file.getFileName().toString().replaceFirst("^lib", "").replaceFirst("\\.so.*$", "");
        try {
            return new Original(file, shortName, Files.readAllBytes(file), ranges);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Region regionOf(String section) {
        if (section.equals(".dynamic")) {
            return Region.DYNAMIC;
        }
        if (section.equals(".dynsym") || section.equals(".dynstr")) {
            return Region.DYNAMIC_SYMBOLS;
        }
        if (section.equals(".symtab") || section.equals(".strtab") || section.equals(".shstrtab")) {
            return Region.SYMBOL_TABLE;
        }
        if (section.startsWith(".rela")) {
            return Region.RELOCATIONS;
        }
        if (section.equals(".gnu.hash") || section.equals(".hash") || section.startsWith(".gnu.version")) {
            return Region.HASH_AND_VERSIONS;
        }
        if (section.equals(".init_array") || section.equals(".fini_array")) {
            return Region.INIT_ARRAYS;
        }
        if (section.startsWith(".note")) {
            return Region.NOTES;
        }
        if (section.startsWith(".debug_")) {
            return Region.DEBUG_SECTIONS;
        }
        if (section.startsWith(".relib_") || section.equals("relib_sdk_registry")) {
            return Region.SDK_MANIFEST;
        }
        return null;
    }

    private static void add(Map<Region, List<Range>> ranges, Region region, long offset, long size, int entrySize) {
        if (size > 0) {
            ranges.computeIfAbsent(region, r -> new ArrayList<>()).add(new Range(offset, size, entrySize));
        }
    }
}
