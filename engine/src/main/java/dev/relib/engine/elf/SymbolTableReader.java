package dev.relib.engine.elf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads a whole symbol table section and its linked string table in two reads, then decodes. */
final class SymbolTableReader {

    private SymbolTableReader() {
    }

    /**
     * The symbols of the first section of {@code sectionType} ({@code SHT_DYNSYM} or
     * {@code SHT_SYMTAB}) in table order, index 0 being the null symbol; empty when there is none.
     */
    static List<ElfSymbol> read(PositionalFileReader file, ElfLayout layout, int sectionType) {
        SectionHeader table = layout.sections().stream()
                .filter(s -> s.type() == sectionType)
                .findFirst()
                .orElse(null);
        if (table == null) {
            return List.of();
        }
        if (table.entrySize() != ElfSymbol.ENTRY_SIZE) {
            throw file.invalid(table.label() + " has entry size " + table.entrySize() + ", expected " + ElfSymbol.ENTRY_SIZE);
        }
        StringTable names = linkedStrings(file, layout, table);
        long usable = table.size() - table.size() % ElfSymbol.ENTRY_SIZE;
        byte[] bytes = file.read(table.offset(), usable, table.label());
        List<ElfSymbol> symbols = new ArrayList<>(bytes.length / ElfSymbol.ENTRY_SIZE);
        for (int at = 0; at + ElfSymbol.ENTRY_SIZE <= bytes.length; at += ElfSymbol.ENTRY_SIZE) {
            long nameOffset = LittleEndian.u32(bytes, at);
            String name = names.require(nameOffset, "symbol " + at / ElfSymbol.ENTRY_SIZE + " of " + table.label(), file);
            symbols.add(ElfSymbol.decode(name, bytes, at));
        }
        return Collections.unmodifiableList(symbols);
    }

    private static StringTable linkedStrings(PositionalFileReader file, ElfLayout layout, SectionHeader table) {
        int link = table.link();
        if (link <= 0 || link >= layout.sections().size()) {
            throw file.invalid(table.label() + " links to string table [" + Integer.toUnsignedString(link)
                    + "], which does not exist (" + layout.sections().size() + " sections)");
        }
        SectionHeader strings = layout.sections().get(link);
        if (strings.type() != SectionHeader.SHT_STRTAB) {
            throw file.invalid(table.label() + " links to " + strings.label() + ", which is not a string table");
        }
        return new StringTable(file.read(strings.offset(), strings.size(), strings.label()), strings.label());
    }
}
