package dev.relib.engine.elf;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Relocations and initializers, as glibc's {@code _dl_relocate_object} and {@code _dl_init} run
 * them: {@code DT_RELA} needs {@code DT_RELAENT} (glibc asserts it, or dereferences a null entry
 * when it is missing), {@code DT_JMPREL} needs {@code DT_PLTREL} = {@code DT_RELA} and
 * {@code DT_PLTRELSZ}; every relocation writes at base + {@code r_offset} with no range check, an
 * {@code R_X86_64_IRELATIVE} calls its addend, {@code R_X86_64_COPY} copies as many bytes as a
 * symbol says; and every {@code DT_INIT}, {@code DT_FINI} and array entry is called.
 */
final class RelocationChecks {

    static final int RELA_SIZE = 24;
    private static final int R_NONE = 0;
    private static final int R_64 = 1;
    private static final int R_PC32 = 2;
    private static final int R_COPY = 5;
    private static final int R_GLOB_DAT = 6;
    private static final int R_JUMP_SLOT = 7;
    private static final int R_RELATIVE = 8;
    private static final int R_32 = 10;
    private static final int R_32S = 11;
    private static final int R_DTPMOD64 = 16;
    private static final int R_DTPOFF64 = 17;
    private static final int R_TPOFF64 = 18;
    private static final int R_SIZE32 = 32;
    private static final int R_SIZE64 = 33;
    private static final int R_TLSDESC = 36;
    private static final int R_IRELATIVE = 37;
    private static final int R_RELATIVE64 = 38;
    private static final long MAX_RELOCATIONS = 1L << 24;

    private final PositionalFileReader file;
    private final ElfLayout layout;
    private final LoadImage image;
    private final DynamicTags tags;
    private final SymbolLookupChecks.Symbols symbols;
    private final boolean textRelocations;
    /** What each relocated word will hold once relocated, for the initializer arrays. */
    private final Map<Long, Long> relocatedWords = new HashMap<>();
    /** Every word a relocation writes, to find two writing the same one. */
    private final Set<Long> targets = new HashSet<>();

    private RelocationChecks(PositionalFileReader file, ElfLayout layout, LoadImage image, DynamicTags tags,
                             SymbolLookupChecks.Symbols symbols) {
        this.file = file;
        this.layout = layout;
        this.image = image;
        this.tags = tags;
        this.symbols = symbols;
        this.textRelocations = tags.has(DynamicTags.DT_TEXTREL)
                || (tags.valueOr(DynamicTags.DT_FLAGS, 0) & DynamicTags.DF_TEXTREL) != 0;
    }

    static void check(PositionalFileReader file, ElfLayout layout, LoadImage image, DynamicTags tags,
                      SymbolLookupChecks.Symbols symbols) {
        new RelocationChecks(file, layout, image, tags, symbols).check();
    }

    private void check() {
        for (long tag : new long[] {DynamicTags.DT_PLTGOT, DynamicTags.DT_TLSDESC_GOT}) {
            OptionalLong address = tags.value(tag);
            if (address.isPresent() && !image.contains(address.getAsLong(), 8)) {
                throw file.unsafe("dynamic.address_outside_image", DynamicTags.name(tag) + " ("
                        + SegmentChecks.hex(address.getAsLong()) + ") lies outside the loadable segments");
            }
        }
        if (tags.has(DynamicTags.DT_RELA)) {
            long entry = required(DynamicTags.DT_RELAENT, DynamicTags.DT_RELA);
            if (entry != RELA_SIZE) {
                throw file.unsafe("dynamic.bad_value", "DT_RELAENT is " + Long.toUnsignedString(entry)
                        + "; glibc asserts " + RELA_SIZE);
            }
            table(DynamicTags.DT_RELA, required(DynamicTags.DT_RELASZ, DynamicTags.DT_RELA));
        }
        boolean plt = tags.has(DynamicTags.DT_JMPREL) || tags.has(DynamicTags.DT_PLTREL) || tags.has(DynamicTags.DT_PLTRELSZ);
        if (plt) {
            long kind = required(DynamicTags.DT_PLTREL, DynamicTags.DT_JMPREL);
            if (kind != DynamicTags.DT_RELA) {
                throw file.unsafe("dynamic.bad_value", "DT_PLTREL is " + Long.toUnsignedString(kind)
                        + "; on x86-64 glibc asserts DT_RELA (7)");
            }
            required(DynamicTags.DT_JMPREL, DynamicTags.DT_PLTREL);
            table(DynamicTags.DT_JMPREL, required(DynamicTags.DT_PLTRELSZ, DynamicTags.DT_JMPREL));
        }
        if (tags.has(DynamicTags.DT_RELR)) {
            long entry = required(DynamicTags.DT_RELRENT, DynamicTags.DT_RELR);
            if (entry != 8) {
                throw file.unsafe("dynamic.bad_value", "DT_RELRENT is " + Long.toUnsignedString(entry) + ", not 8");
            }
            relr(tags.value(DynamicTags.DT_RELR).getAsLong(), required(DynamicTags.DT_RELRSZ, DynamicTags.DT_RELR));
        }
        if (tags.has(DynamicTags.DT_PREINIT_ARRAY)) {
            throw file.unsafe("init.bad_array", "it has DT_PREINIT_ARRAY, which only an executable may have");
        }
        function(DynamicTags.DT_INIT, ".init");
        function(DynamicTags.DT_FINI, ".fini");
        array(DynamicTags.DT_INIT_ARRAY, DynamicTags.DT_INIT_ARRAYSZ, ".init_array");
        array(DynamicTags.DT_FINI_ARRAY, DynamicTags.DT_FINI_ARRAYSZ, ".fini_array");
    }

    /** The companion entry the loader reads without checking it is there. */
    private long required(long tag, long because) {
        OptionalLong value = tags.value(tag);
        if (value.isEmpty()) {
            throw file.unsafe("dynamic.missing_entry", "it has " + DynamicTags.name(because) + " but no "
                    + DynamicTags.name(tag) + ", which the loader reads with it");
        }
        return value.getAsLong();
    }

    private void table(long tag, long size) {
        long address = tags.value(tag).getAsLong();
        if (size % RELA_SIZE != 0 || size < 0 || size / RELA_SIZE > MAX_RELOCATIONS || !image.contains(address, size)) {
            throw file.unsafe("reloc.outside_image", "the relocations at " + DynamicTags.name(tag) + " ("
                    + SegmentChecks.hex(address) + ", " + Long.toUnsignedString(size) + " bytes) are not whole "
                    + RELA_SIZE + "-byte entries inside the loadable segments");
        }
        byte[] entries = image.read(address, size, "the relocations");
        // glibc applies the first DT_RELACOUNT entries of DT_RELA as R_X86_64_RELATIVE, whatever their type says.
        long assumedRelative = tag == DynamicTags.DT_RELA ? tags.valueOr(DynamicTags.DT_RELACOUNT, 0) : 0;
        for (int at = 0; at < entries.length; at += RELA_SIZE) {
            int index = at / RELA_SIZE;
            long info = LittleEndian.u64(entries, at + 8);
            int type = (int) (info & 0xffff_ffffL);
            if (Long.compareUnsigned(index, assumedRelative) < 0 && type != R_RELATIVE && type != R_RELATIVE64) {
                throw file.unsafe("reloc.bad_type", "relocation " + index + " of DT_RELA has type " + type
                        + " but lies within DT_RELACOUNT (" + assumedRelative + "), where glibc asserts R_X86_64_RELATIVE");
            }
            relocation(tag, index, LittleEndian.u64(entries, at), info, LittleEndian.u64(entries, at + 16));
        }
    }

    private void relocation(long tag, int index, long offset, long info, long addend) {
        int type = (int) (info & 0xffff_ffffL);
        long symbol = info >>> 32;
        String which = "relocation " + index + " of " + DynamicTags.name(tag);
        int width = switch (type) {
            case R_NONE -> 0;
            case R_PC32, R_32, R_32S, R_SIZE32 -> 4;
            case R_TLSDESC -> 16;
            case R_64, R_GLOB_DAT, R_JUMP_SLOT, R_RELATIVE, R_RELATIVE64, R_DTPMOD64, R_DTPOFF64, R_TPOFF64, R_SIZE64,
                    R_IRELATIVE -> 8;
            case R_COPY -> throw file.unsafe("reloc.bad_type", which + " is R_X86_64_COPY, which only an executable"
                    + " may have (the loader copies as many bytes as the symbol's size says)");
            default -> throw file.unsafe("reloc.bad_type", which + " has type " + type
                    + ", which is no x86-64 relocation the loader applies");
        };
        if (width == 0) {
            return;
        }
        boolean inside = textRelocations ? image.contains(offset, width) : image.writable(offset, width);
        if (!inside) {
            throw file.unsafe("reloc.bad_target", which + " writes " + width + " bytes at " + SegmentChecks.hex(offset)
                    + ", outside the writable segments; the loader writes wherever it points");
        }
        boolean symbolic = type != R_RELATIVE && type != R_RELATIVE64 && type != R_IRELATIVE;
        if (symbolic && symbol >= Math.max(1, symbols.count())) {
            throw file.unsafe("reloc.bad_symbol", which + " refers to symbol " + symbol + ", past the "
                    + symbols.count() + " of the dynamic symbol table");
        }
        // A local or hidden symbol binds to itself with no lookup: base + its value, defined or not.
        if (symbolic && symbol != 0 && symbols.bindsLocally((int) symbol)
                && (symbols.sectionIndex((int) symbol) == ElfSymbol.SHN_UNDEF
                || !image.contains(symbols.value((int) symbol), 0))) {
            throw file.unsafe("reloc.bad_symbol", which + " binds to local symbol " + symbol + " at "
                    + SegmentChecks.hex(symbols.value((int) symbol)) + ", which the object does not define");
        }
        if (type == R_IRELATIVE && !image.executable(addend)) {
            throw file.unsafe("reloc.resolver_not_code", which + " calls a resolver at " + SegmentChecks.hex(addend)
                    + ", outside the executable segments");
        }
        if (!targets.add(offset)) {
            throw file.unsafe("reloc.bad_target", which + " writes at " + SegmentChecks.hex(offset)
                    + ", which another relocation writes too; a linker relocates each word once");
        }
        // A pointer the loader makes by adding the base to the addend points into the image.
        if ((type == R_RELATIVE || type == R_RELATIVE64) && !image.contains(addend, 0)) {
            throw file.unsafe("reloc.bad_target", which + " makes a pointer to " + SegmentChecks.hex(addend)
                    + ", outside the loadable segments");
        }
        if (type == R_RELATIVE || type == R_RELATIVE64) {
            relocatedWords.put(offset, addend);
        } else if (type == R_64 && symbol != 0 && symbols.sectionIndex((int) symbol) != ElfSymbol.SHN_UNDEF) {
            relocatedWords.put(offset, symbols.value((int) symbol) + addend);
        } else if (type == R_64 || type == R_GLOB_DAT) {
            relocatedWords.put(offset, null);
        }
    }

    /** {@code DT_RELR}: an address, then bitmaps of the 63 words after it; each is a word to relocate. */
    private void relr(long address, long size) {
        if (size % 8 != 0 || size < 0 || size / 8 > MAX_RELOCATIONS || !image.contains(address, size)) {
            throw file.unsafe("reloc.outside_image", "DT_RELR (" + SegmentChecks.hex(address) + ", "
                    + Long.toUnsignedString(size) + " bytes) is not whole entries inside the loadable segments");
        }
        byte[] entries = image.read(address, size, "the DT_RELR relocations");
        long next = -1;
        for (int at = 0; at < entries.length; at += 8) {
            long entry = LittleEndian.u64(entries, at);
            if ((entry & 1) == 0) {
                relrWord(entry);
                next = entry + 8;
            } else {
                if (next < 0) {
                    throw file.unsafe("reloc.bad_target", "DT_RELR starts with a bitmap, not an address");
                }
                for (int bit = 1; bit < 64; bit++) {
                    if ((entry >>> bit & 1) != 0) {
                        relrWord(next + (bit - 1) * 8L);
                    }
                }
                next += 63 * 8L;
            }
        }
    }

    private void relrWord(long offset) {
        if (!(textRelocations ? image.contains(offset, 8) : image.writable(offset, 8))) {
            throw file.unsafe("reloc.bad_target", "DT_RELR relocates the word at " + SegmentChecks.hex(offset)
                    + ", outside the writable segments");
        }
        if (!targets.add(offset)) {
            throw file.unsafe("reloc.bad_target", "DT_RELR relocates the word at " + SegmentChecks.hex(offset)
                    + " again; a linker relocates each word once");
        }
        byte[] word = image.read(offset, 8, "a DT_RELR word");
        relocatedWords.put(offset, LittleEndian.u64(word, 0));
    }

    private void function(long tag, String sectionName) {
        OptionalLong address = tags.value(tag);
        if (address.isEmpty()) {
            return;
        }
        if (!image.executable(address.getAsLong())) {
            throw file.unsafe("init.not_code", DynamicTags.name(tag) + " (" + SegmentChecks.hex(address.getAsLong())
                    + ") is outside the executable segments; the loader calls it");
        }
        layout.sections().stream().filter(s -> s.name().equals(sectionName)).findFirst().ifPresent(section -> {
            // -Wl,-init=NAME points it at a function instead, which a symbol table names.
            if (section.address() != address.getAsLong() && !isFunctionStart(address.getAsLong())) {
                throw file.unsafe("init.not_code", DynamicTags.name(tag) + " (" + SegmentChecks.hex(address.getAsLong())
                        + ") is neither the start of " + section.label() + " (" + SegmentChecks.hex(section.address())
                        + ") nor of a function; the loader would call into the middle of code");
            }
        });
    }

    private boolean isFunctionStart(long address) {
        if (UnwindTable.functionStarts(image, layout).contains(address)) {
            return true;
        }
        for (int type : new int[] {SectionHeader.SHT_SYMTAB, SectionHeader.SHT_DYNSYM}) {
            for (ElfSymbol symbol : SymbolTableReader.read(file, layout, type)) {
                if (symbol.isFunction() && symbol.isDefined() && symbol.value() == address) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The highest symbol index any relocation names: with an empty {@code DT_GNU_HASH} (no exports)
     * the hash table says nothing of how many symbols there are, and relocations still index them.
     */
    static long highestSymbol(LoadImage image, DynamicTags tags) {
        long highest = 0;
        for (long[] table : new long[][] {{DynamicTags.DT_RELA, DynamicTags.DT_RELASZ},
                {DynamicTags.DT_JMPREL, DynamicTags.DT_PLTRELSZ}}) {
            long address = tags.valueOr(table[0], -1);
            long size = tags.valueOr(table[1], -1);
            if (address < 0 || size < 0 || size % RELA_SIZE != 0 || size / RELA_SIZE > MAX_RELOCATIONS
                    || !image.contains(address, size)) {
                continue; // refused with its reason when the relocations are checked
            }
            byte[] entries = image.read(address, size, "the relocations");
            for (int at = 0; at < entries.length; at += RELA_SIZE) {
                long info = LittleEndian.u64(entries, at + 8);
                int type = (int) (info & 0xffff_ffffL);
                if (type != R_RELATIVE && type != R_IRELATIVE && type != R_NONE) {
                    highest = Math.max(highest, info >>> 32);
                }
            }
        }
        return highest;
    }

    /** Each entry is called once relocated, so each must end up pointing at code. */
    private void array(long tag, long sizeTag, String sectionName) {
        OptionalLong address = tags.value(tag);
        if (address.isEmpty()) {
            return;
        }
        long size = required(sizeTag, tag);
        long start = address.getAsLong();
        if (size % 8 != 0 || size < 0 || size / 8 > MAX_RELOCATIONS || !image.contains(start, size)) {
            throw file.unsafe("init.bad_array", DynamicTags.name(tag) + " (" + SegmentChecks.hex(start) + ", "
                    + Long.toUnsignedString(size) + " bytes) is not whole pointers inside the loadable segments");
        }
        layout.sections().stream().filter(s -> s.name().equals(sectionName)).findFirst().ifPresent(section -> {
            if (section.address() != start || section.size() != size) {
                throw file.unsafe("init.bad_array", DynamicTags.name(tag) + " (" + SegmentChecks.hex(start) + ", "
                        + size + " bytes) does not match " + section.label() + " (" + SegmentChecks.hex(section.address())
                        + ", " + section.size() + " bytes)");
            }
        });
        byte[] words = image.read(start, size, DynamicTags.name(tag));
        for (int i = 0; i < size / 8; i++) {
            long slot = start + 8L * i;
            Long target = relocatedWords.containsKey(slot) ? relocatedWords.get(slot) : LittleEndian.u64(words, 8 * i);
            // null: bound to another object's symbol at load time, which this file cannot tell.
            boolean unrelocated = !relocatedWords.containsKey(slot);
            if (target != null && (unrelocated || !image.executable(target))) {
                throw file.unsafe("init.not_code", "entry " + i + " of " + DynamicTags.name(tag) + " points at "
                        + SegmentChecks.hex(target) + (unrelocated ? " and no relocation moves it with the load base"
                        : ", outside the executable segments") + "; the loader calls it");
            }
        }
    }
}
