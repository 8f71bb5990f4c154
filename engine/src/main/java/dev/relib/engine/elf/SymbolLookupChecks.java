package dev.relib.engine.elf;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

/**
 * What symbol lookup dereferences without bounds: the dynamic string table (names are read up to
 * their NUL), {@code DT_NEEDED} and the other name entries, the symbol table, the hash table glibc
 * walks ({@code DT_GNU_HASH}, else {@code DT_HASH}: a zero bucket count divides by zero, a chain
 * that never ends loops forever or runs off the mapping), and the version tables, whose indices
 * glibc uses to index an array it sized from them.
 */
final class SymbolLookupChecks {

    /** The symbol side of the image, for the relocation checks. */
    record Symbols(long address, int count, byte[] table, byte[] strings) {

        long value(int index) {
            return LittleEndian.u64(table, index * ElfSymbol.ENTRY_SIZE + 8);
        }

        int type(int index) {
            return LittleEndian.u8(table, index * ElfSymbol.ENTRY_SIZE + 4) & 0xf;
        }

        int sectionIndex(int index) {
            return LittleEndian.u16(table, index * ElfSymbol.ENTRY_SIZE + 6);
        }

        /** glibc resolves a local binding, or hidden or internal visibility, to the symbol itself. */
        boolean bindsLocally(int index) {
            int info = LittleEndian.u8(table, index * ElfSymbol.ENTRY_SIZE + 4);
            int visibility = LittleEndian.u8(table, index * ElfSymbol.ENTRY_SIZE + 5) & 3;
            return info >>> 4 == ElfSymbol.STB_LOCAL || visibility == ElfSymbol.STV_HIDDEN
                    || visibility == ElfSymbol.STV_INTERNAL;
        }
    }

    /** Names the loader opens as files; a real one is a short printable name or path. */
    static final int MAX_NAME = 4096;
    static final int MAX_SYMBOLS = 1 << 24;
    static final int MAX_VERSION_RECORDS = 1 << 16;
    private static final int SHN_LORESERVE = 0xff00;
    private static final int SHN_ABS = 0xfff1;
    private static final int SHN_COMMON = 0xfff2;
    private static final int VERNEED_SIZE = 16;
    private static final int VERNAUX_SIZE = 16;
    private static final int VERDEF_SIZE = 20;
    private static final int VERDAUX_SIZE = 8;

    private final PositionalFileReader file;
    private final ElfLayout layout;
    private final LoadImage image;
    private final DynamicTags tags;
    private byte[] strings;

    private SymbolLookupChecks(PositionalFileReader file, ElfLayout layout, LoadImage image, DynamicTags tags) {
        this.file = file;
        this.layout = layout;
        this.image = image;
        this.tags = tags;
    }

    static Symbols check(PositionalFileReader file, ElfLayout layout, LoadImage image, DynamicTags tags) {
        return new SymbolLookupChecks(file, layout, image, tags).check();
    }

    private Symbols check() {
        strings = stringTable();
        for (long tag : List.of(DynamicTags.DT_NEEDED, DynamicTags.DT_AUXILIARY, DynamicTags.DT_FILTER)) {
            for (long offset : tags.values(tag)) {
                requireFileName(tag, offset);
            }
        }
        for (long tag : List.of(DynamicTags.DT_SONAME, DynamicTags.DT_RPATH, DynamicTags.DT_RUNPATH)) {
            OptionalLong offset = tags.value(tag);
            if (offset.isPresent()) {
                string(offset.getAsLong(), DynamicTags.name(tag), "needed.bad_name");
            }
        }
        if (!tags.has(DynamicTags.DT_SYMTAB)) {
            return new Symbols(0, 0, new byte[0], strings);
        }
        long symtab = tags.value(DynamicTags.DT_SYMTAB).getAsLong();
        long entry = tags.valueOr(DynamicTags.DT_SYMENT, ElfSymbol.ENTRY_SIZE);
        if (entry != ElfSymbol.ENTRY_SIZE) {
            throw file.unsafe("dynamic.bad_value", "DT_SYMENT is " + Long.toUnsignedString(entry) + ", but the loader"
                    + " reads " + ElfSymbol.ENTRY_SIZE + "-byte symbols");
        }
        int hashed = symbolCount(symtab);
        if (!image.contains(symtab, (long) hashed * ElfSymbol.ENTRY_SIZE)) {
            throw file.unsafe("symtab.outside_image", "the dynamic symbol table (DT_SYMTAB " + SegmentChecks.hex(symtab)
                    + ", " + hashed + " symbols by its hash table) runs outside the loadable segments");
        }
        long referenced = RelocationChecks.highestSymbol(image, tags);
        if (referenced >= MAX_SYMBOLS || !image.contains(symtab, (referenced + 1) * ElfSymbol.ENTRY_SIZE)) {
            throw file.unsafe("reloc.bad_symbol", "a relocation refers to dynamic symbol " + referenced
                    + ", which lies past the loadable segments");
        }
        int count = (int) Math.max(hashed, referenced + 1);
        byte[] table = image.read(symtab, (long) count * ElfSymbol.ENTRY_SIZE, "the dynamic symbol table");
        Symbols symbols = new Symbols(symtab, count, table, strings);
        for (int i = 0; i < count; i++) {
            long name = LittleEndian.u32(table, i * ElfSymbol.ENTRY_SIZE);
            if (name >= strings.length) {
                throw file.unsafe("symtab.bad_name", "dynamic symbol " + i + " names offset " + name
                        + ", outside the dynamic string table (" + strings.length + " bytes)");
            }
            int section = symbols.sectionIndex(i);
            boolean defined = section != ElfSymbol.SHN_UNDEF;
            // Defined symbols are addresses in the image (an end marker may sit just past it), except absolute ones.
            boolean relative = defined && section != SHN_ABS && section != SHN_COMMON && symbols.type(i) != ElfSymbol.STT_TLS;
            if (relative && (section >= SHN_LORESERVE || !image.contains(symbols.value(i), 0)
                    && symbols.value(i) != image.end())) {
                throw file.unsafe("symtab.bad_value", "dynamic symbol " + i + " (" + DisplayedName.of(name(name))
                        + ") is defined at " + SegmentChecks.hex(symbols.value(i)) + " in section " + section
                        + ", outside the loadable segments");
            }
            // glibc calls an indirect function's value as its resolver while relocating.
            if (defined && symbols.type(i) == ElfSymbol.STT_GNU_IFUNC && !image.executable(symbols.value(i))) {
                throw file.unsafe("symtab.ifunc_not_code", "indirect function " + name(name) + " has its resolver at "
                        + SegmentChecks.hex(symbols.value(i)) + ", outside the executable segments");
            }
        }
        new VersionTables().check(count);
        return symbols;
    }

    private byte[] stringTable() {
        OptionalLong address = tags.value(DynamicTags.DT_STRTAB);
        OptionalLong size = tags.value(DynamicTags.DT_STRSZ);
        if (address.isEmpty() || size.isEmpty()) {
            throw file.unsafe("strtab.missing", "the dynamic array has no " + (address.isEmpty() ? "DT_STRTAB" : "DT_STRSZ")
                    + "; the loader reads every name from that table");
        }
        if (size.getAsLong() == 0 || !image.contains(address.getAsLong(), size.getAsLong())) {
            throw file.unsafe("strtab.outside_image", "the dynamic string table (DT_STRTAB "
                    + SegmentChecks.hex(address.getAsLong()) + ", DT_STRSZ " + Long.toUnsignedString(size.getAsLong())
                    + ") is empty or lies outside the loadable segments");
        }
        byte[] bytes = image.read(address.getAsLong(), size.getAsLong(), "the dynamic string table");
        if (bytes[bytes.length - 1] != 0) {
            throw file.unsafe("strtab.unterminated", "the dynamic string table does not end with a NUL; the loader"
                    + " would read its last name past the table");
        }
        return bytes;
    }

    private void requireFileName(long tag, long offset) {
        String name = string(offset, DynamicTags.name(tag), "needed.bad_name");
        boolean control = name.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
        if (name.isEmpty() || name.length() > MAX_NAME || control) {
            throw file.unsafe("needed.bad_name", DynamicTags.name(tag) + " names "
                    + (name.isEmpty() ? "nothing (an empty string)" : "\"" + DisplayedName.of(name) + "\"")
                    + ", which is not a library name the loader should look for");
        }
    }

    private String string(long offset, String what, String detail) {
        if (offset < 0 || offset >= strings.length) {
            throw file.unsafe(detail, what + " points at offset " + Long.toUnsignedString(offset)
                    + ", outside the dynamic string table (" + strings.length + " bytes)");
        }
        return name(offset);
    }

    /** The NUL-terminated name at an offset already checked to be inside the table. */
    private String name(long offset) {
        int start = (int) offset;
        int end = start;
        while (strings[end] != 0) {
            end++;
        }
        return new String(strings, start, end - start, StandardCharsets.UTF_8);
    }

    /** How many symbols the hash table glibc uses covers; the table itself is checked on the way. */
    private int symbolCount(long symtab) {
        if (tags.has(DynamicTags.DT_GNU_HASH)) {
            return HashTableChecks.gnuHash(file, image, tags.value(DynamicTags.DT_GNU_HASH).getAsLong());
        }
        if (tags.has(DynamicTags.DT_HASH)) {
            return HashTableChecks.sysvHash(file, image, tags.value(DynamicTags.DT_HASH).getAsLong());
        }
        return 1; // no hash table: glibc never looks a name up in it; relocations say how far it goes

    }

    /**
     * {@code _dl_check_map_versions}: follows the {@code vn_next}/{@code vna_next}/{@code vd_next}
     * chains until a zero, asserts that each needed file is loaded, and sizes {@code l_versions}
     * by the highest index; relocation then indexes it by every {@code DT_VERSYM} entry.
     */
    private final class VersionTables {
        private int highest;

        void check(int symbolCount) {
            OptionalLong needed = tags.value(DynamicTags.DT_VERNEED);
            OptionalLong defined = tags.value(DynamicTags.DT_VERDEF);
            if (needed.isPresent()) {
                walkNeeded(needed.getAsLong());
            }
            if (defined.isPresent()) {
                walkDefined(defined.getAsLong());
            }
            OptionalLong versym = tags.value(DynamicTags.DT_VERSYM);
            if (versym.isEmpty()) {
                if (highest > 0) {
                    throw file.unsafe("version.bad_table", "it has version tables (DT_VERNEED or DT_VERDEF) but no"
                            + " DT_VERSYM; glibc reads the symbol versions from there without checking it exists");
                }
                return;
            }
            if (highest == 0) {
                throw file.unsafe("version.bad_table", "DT_VERSYM is there but no DT_VERNEED or DT_VERDEF defines a"
                        + " version; the loader would index a version array it never made");
            }
            long length = 2L * symbolCount;
            if (!image.contains(versym.getAsLong(), length)) {
                throw file.unsafe("version.bad_table", "DT_VERSYM (" + SegmentChecks.hex(versym.getAsLong()) + ", "
                        + symbolCount + " entries) lies outside the loadable segments");
            }
            byte[] indices = image.read(versym.getAsLong(), length, "the symbol version table");
            for (int i = 0; i < symbolCount; i++) {
                int index = LittleEndian.u16(indices, 2 * i) & 0x7fff;
                if (index > highest) {
                    throw file.unsafe("version.bad_index", "dynamic symbol " + i + " has version index " + index
                            + ", but the version tables define only up to " + highest);
                }
            }
        }

        private void walkNeeded(long address) {
            List<String> libraries = tags.values(DynamicTags.DT_NEEDED).stream().map(SymbolLookupChecks.this::name).toList();
            long entry = address;
            for (int records = 0; ; records++) {
                byte[] need = record(entry, VERNEED_SIZE, "DT_VERNEED entry", records);
                if (LittleEndian.u16(need, 0) != 1) {
                    throw file.unsafe("version.bad_table", "a DT_VERNEED entry has version " + LittleEndian.u16(need, 0)
                            + " (only 1 exists)");
                }
                String library = string(LittleEndian.u32(need, 4), "a DT_VERNEED entry's file name", "version.bad_table");
                // glibc asserts the file is among the loaded objects; only DT_NEEDED ones are sure to be.
                if (!libraries.contains(library)) {
                    throw file.unsafe("version.bad_table", "DT_VERNEED asks versions of \"" + DisplayedName.of(library)
                            + "\", which is not one of its DT_NEEDED libraries " + libraries);
                }
                long aux = entry + LittleEndian.u32(need, 8);
                for (int auxRecords = 0; ; auxRecords++) {
                    byte[] vernaux = record(aux, VERNAUX_SIZE, "DT_VERNEED auxiliary entry", records + auxRecords);
                    string(LittleEndian.u32(vernaux, 8), "a DT_VERNEED version name", "version.bad_table");
                    highest = Math.max(highest, LittleEndian.u16(vernaux, 6) & 0x7fff);
                    long next = LittleEndian.u32(vernaux, 12);
                    if (next == 0) {
                        break;
                    }
                    aux += next;
                }
                long next = LittleEndian.u32(need, 12);
                if (next == 0) {
                    return;
                }
                entry += next;
            }
        }

        private void walkDefined(long address) {
            long entry = address;
            for (int records = 0; ; records++) {
                byte[] def = record(entry, VERDEF_SIZE, "DT_VERDEF entry", records);
                if (LittleEndian.u16(def, 0) != 1) {
                    throw file.unsafe("version.bad_table", "a DT_VERDEF entry has version " + LittleEndian.u16(def, 0)
                            + " (only 1 exists)");
                }
                highest = Math.max(highest, LittleEndian.u16(def, 4) & 0x7fff);
                byte[] verdaux = record(entry + LittleEndian.u32(def, 12), VERDAUX_SIZE, "DT_VERDEF auxiliary entry",
                        records);
                string(LittleEndian.u32(verdaux, 0), "a DT_VERDEF version name", "version.bad_table");
                long next = LittleEndian.u32(def, 16);
                if (next == 0) {
                    return;
                }
                entry += next;
            }
        }

        private byte[] record(long address, int size, String what, int seen) {
            if (seen > MAX_VERSION_RECORDS) {
                throw file.unsafe("version.bad_table", "the version tables chain more than " + MAX_VERSION_RECORDS
                        + " records; the loader follows them until a zero link");
            }
            if (!image.contains(address, size)) {
                throw file.unsafe("version.bad_table", "a " + what + " at " + SegmentChecks.hex(address)
                        + " lies outside the loadable segments");
            }
            return image.read(address, size, what);
        }
    }
}
