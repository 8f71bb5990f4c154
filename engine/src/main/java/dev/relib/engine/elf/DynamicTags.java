package dev.relib.engine.elf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The dynamic array as the loader reads it: from the {@code PT_DYNAMIC} segment through the
 * mapping (not from the section headers, which it never looks at), up to {@code DT_NULL}. Where a
 * tag repeats, the last entry wins, as in glibc's {@code elf_get_dynamic_info}; {@code DT_NEEDED}
 * and the other list tags keep every entry.
 */
final class DynamicTags {

    static final long DT_NEEDED = 1;
    static final long DT_PLTRELSZ = 2;
    static final long DT_PLTGOT = 3;
    static final long DT_HASH = 4;
    static final long DT_STRTAB = 5;
    static final long DT_SYMTAB = 6;
    static final long DT_RELA = 7;
    static final long DT_RELASZ = 8;
    static final long DT_RELAENT = 9;
    static final long DT_STRSZ = 10;
    static final long DT_SYMENT = 11;
    static final long DT_INIT = 12;
    static final long DT_FINI = 13;
    static final long DT_SONAME = 14;
    static final long DT_RPATH = 15;
    static final long DT_REL = 17;
    static final long DT_PLTREL = 20;
    static final long DT_TEXTREL = 22;
    static final long DT_JMPREL = 23;
    static final long DT_INIT_ARRAY = 25;
    static final long DT_FINI_ARRAY = 26;
    static final long DT_INIT_ARRAYSZ = 27;
    static final long DT_FINI_ARRAYSZ = 28;
    static final long DT_RUNPATH = 29;
    static final long DT_FLAGS = 30;
    static final long DT_PREINIT_ARRAY = 32;
    static final long DT_RELRSZ = 35;
    static final long DT_RELR = 36;
    static final long DT_RELRENT = 37;
    static final long DT_GNU_HASH = 0x6ffffef5L;
    static final long DT_TLSDESC_PLT = 0x6ffffef6L;
    static final long DT_TLSDESC_GOT = 0x6ffffef7L;
    static final long DT_VERSYM = 0x6ffffff0L;
    static final long DT_RELACOUNT = 0x6ffffff9L;
    static final long DT_VERDEF = 0x6ffffffcL;
    static final long DT_VERNEED = 0x6ffffffeL;
    static final long DT_AUXILIARY = 0x7ffffffdL;
    static final long DT_FILTER = 0x7fffffffL;
    static final long DF_TEXTREL = 0x4;
    /** Real objects have a few dozen entries. */
    static final int MAX_ENTRIES = 4096;

    private final Map<Long, Long> last = new HashMap<>();
    private final Map<Long, List<Long>> all = new HashMap<>();
    private final long address;
    private final int count;

    private DynamicTags(long address, List<long[]> entries) {
        this.address = address;
        this.count = entries.size();
        for (long[] entry : entries) {
            last.put(entry[0], entry[1]);
            all.computeIfAbsent(entry[0], tag -> new ArrayList<>()).add(entry[1]);
        }
    }

    /** Reads the last {@code PT_DYNAMIC} segment's entries (glibc keeps the last one it meets). */
    static DynamicTags read(PositionalFileReader file, ElfLayout layout, LoadImage image) {
        ProgramHeader dynamic = null;
        for (ProgramHeader header : layout.programHeaders()) {
            if (header.type() == ProgramHeader.PT_DYNAMIC) {
                dynamic = header;
            }
        }
        if (dynamic == null) {
            throw file.unsafe("dynamic.missing", "it has no PT_DYNAMIC segment; the loader needs one for a shared object");
        }
        long size = Math.min(dynamic.memorySize(), (long) MAX_ENTRIES * DynamicSection.ENTRY_SIZE);
        if (!image.contains(dynamic.virtualAddress(), size)) {
            throw file.unsafe("dynamic.outside_image", "the PT_DYNAMIC segment (address "
                    + SegmentChecks.hex(dynamic.virtualAddress()) + ", " + Long.toUnsignedString(dynamic.memorySize())
                    + " bytes) lies outside the loadable segments");
        }
        byte[] bytes = image.read(dynamic.virtualAddress(), size - size % DynamicSection.ENTRY_SIZE, "the dynamic array");
        List<long[]> entries = new ArrayList<>();
        for (int at = 0; ; at += DynamicSection.ENTRY_SIZE) {
            // The loader reads until DT_NULL, however far that is; the segment's size bounds nothing for it.
            if (at + DynamicSection.ENTRY_SIZE > bytes.length) {
                throw file.unsafe("dynamic.unterminated", "the dynamic array has no DT_NULL entry within its "
                        + bytes.length / DynamicSection.ENTRY_SIZE + " entries; the loader would read past it");
            }
            long tag = LittleEndian.u64(bytes, at);
            if (tag == DynamicSection.DT_NULL) {
                break;
            }
            entries.add(new long[] {tag, LittleEndian.u64(bytes, at + 8)});
        }
        return new DynamicTags(dynamic.virtualAddress(), entries);
    }

    boolean has(long tag) {
        return last.containsKey(tag);
    }

    /** The value the loader uses for {@code tag}: its last entry's. */
    OptionalLong value(long tag) {
        Long value = last.get(tag);
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    long valueOr(long tag, long otherwise) {
        return last.getOrDefault(tag, otherwise);
    }

    List<Long> values(long tag) {
        return all.getOrDefault(tag, List.of());
    }

    long address() {
        return address;
    }

    int count() {
        return count;
    }

    /** "DT_STRTAB" for messages; the raw number for tags without a name here. */
    static String name(long tag) {
        return NAMES.getOrDefault(tag, "tag " + SegmentChecks.hex(tag));
    }

    private static final Map<Long, String> NAMES = Map.ofEntries(
            Map.entry(DT_NEEDED, "DT_NEEDED"), Map.entry(DT_PLTRELSZ, "DT_PLTRELSZ"), Map.entry(DT_PLTGOT, "DT_PLTGOT"),
            Map.entry(DT_HASH, "DT_HASH"), Map.entry(DT_STRTAB, "DT_STRTAB"), Map.entry(DT_SYMTAB, "DT_SYMTAB"),
            Map.entry(DT_RELA, "DT_RELA"), Map.entry(DT_RELASZ, "DT_RELASZ"), Map.entry(DT_RELAENT, "DT_RELAENT"),
            Map.entry(DT_STRSZ, "DT_STRSZ"), Map.entry(DT_SYMENT, "DT_SYMENT"), Map.entry(DT_INIT, "DT_INIT"),
            Map.entry(DT_FINI, "DT_FINI"), Map.entry(DT_SONAME, "DT_SONAME"), Map.entry(DT_RPATH, "DT_RPATH"),
            Map.entry(DT_PLTREL, "DT_PLTREL"), Map.entry(DT_JMPREL, "DT_JMPREL"), Map.entry(DT_INIT_ARRAY, "DT_INIT_ARRAY"),
            Map.entry(DT_FINI_ARRAY, "DT_FINI_ARRAY"), Map.entry(DT_INIT_ARRAYSZ, "DT_INIT_ARRAYSZ"),
            Map.entry(DT_FINI_ARRAYSZ, "DT_FINI_ARRAYSZ"), Map.entry(DT_RUNPATH, "DT_RUNPATH"),
            Map.entry(DT_PREINIT_ARRAY, "DT_PREINIT_ARRAY"), Map.entry(DT_RELR, "DT_RELR"), Map.entry(DT_RELRSZ, "DT_RELRSZ"),
            Map.entry(DT_RELRENT, "DT_RELRENT"), Map.entry(DT_GNU_HASH, "DT_GNU_HASH"),
            Map.entry(DT_TLSDESC_PLT, "DT_TLSDESC_PLT"), Map.entry(DT_TLSDESC_GOT, "DT_TLSDESC_GOT"),
            Map.entry(DT_VERSYM, "DT_VERSYM"), Map.entry(DT_VERDEF, "DT_VERDEF"), Map.entry(DT_VERNEED, "DT_VERNEED"),
            Map.entry(DT_AUXILIARY, "DT_AUXILIARY"), Map.entry(DT_FILTER, "DT_FILTER"));
}
