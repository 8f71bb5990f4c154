package dev.relib.engine.elf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the dynamic section from the {@code SHT_DYNAMIC} section, or from the {@code PT_DYNAMIC}
 * segment when the section headers are stripped. Strings come from the section's linked string
 * table, else from {@code DT_STRTAB}/{@code DT_STRSZ} translated through the loadable segments.
 */
final class DynamicSectionReader {

    private final PositionalFileReader file;
    private final ElfLayout layout;

    private DynamicSectionReader(PositionalFileReader file, ElfLayout layout) {
        this.file = file;
        this.layout = layout;
    }

    static DynamicSection read(PositionalFileReader file, ElfLayout layout) {
        return new DynamicSectionReader(file, layout).read();
    }

    private DynamicSection read() {
        Optional<SectionHeader> section = layout.sections().stream()
                .filter(s -> s.type() == SectionHeader.SHT_DYNAMIC)
                .findFirst();
        Optional<ProgramHeader> segment = layout.programHeaders().stream()
                .filter(p -> p.type() == ProgramHeader.PT_DYNAMIC)
                .findFirst();
        List<DynamicSection.Entry> entries;
        if (section.isPresent()) {
            entries = readEntries(section.get().offset(), section.get().size(), section.get().label());
        } else if (segment.isPresent()) {
            entries = readEntries(segment.get().offset(), segment.get().fileSize(), "the PT_DYNAMIC segment");
        } else {
            return DynamicSection.NONE;
        }
        StringTable strings = section.flatMap(this::linkedStrings).orElseGet(() -> stringsByAddress(entries));
        List<String> needed = new ArrayList<>();
        for (DynamicSection.Entry entry : entries) {
            if (entry.tag() == DynamicSection.DT_NEEDED) {
                needed.add(strings.require(entry.value(), "DT_NEEDED", file));
            }
        }
        return new DynamicSection(entries, needed,
                string(entries, DynamicSection.DT_SONAME, "DT_SONAME", strings),
                string(entries, DynamicSection.DT_RPATH, "DT_RPATH", strings),
                string(entries, DynamicSection.DT_RUNPATH, "DT_RUNPATH", strings),
                number(entries, DynamicSection.DT_FLAGS),
                number(entries, DynamicSection.DT_FLAGS_1));
    }

    private List<DynamicSection.Entry> readEntries(long offset, long size, String what) {
        byte[] bytes = file.read(offset, size - size % DynamicSection.ENTRY_SIZE, what);
        List<DynamicSection.Entry> entries = new ArrayList<>();
        for (int at = 0; at + DynamicSection.ENTRY_SIZE <= bytes.length; at += DynamicSection.ENTRY_SIZE) {
            long tag = LittleEndian.u64(bytes, at);
            if (tag == DynamicSection.DT_NULL) {
                break;
            }
            entries.add(new DynamicSection.Entry(tag, LittleEndian.u64(bytes, at + 8)));
        }
        return entries;
    }

    private Optional<StringTable> linkedStrings(SectionHeader dynamic) {
        int link = dynamic.link();
        if (link <= 0 || link >= layout.sections().size()) {
            return Optional.empty();
        }
        SectionHeader strings = layout.sections().get(link);
        if (strings.type() != SectionHeader.SHT_STRTAB) {
            return Optional.empty();
        }
        return Optional.of(new StringTable(file.read(strings.offset(), strings.size(), strings.label()),
                strings.label()));
    }

    private StringTable stringsByAddress(List<DynamicSection.Entry> entries) {
        OptionalLong address = value(entries, DynamicSection.DT_STRTAB);
        OptionalLong size = value(entries, DynamicSection.DT_STRSZ);
        if (address.isEmpty() || size.isEmpty()) {
            return StringTable.EMPTY;
        }
        long offset = layout.programHeaders().stream()
                .filter(p -> p.isLoad() && p.coversInFile(address.getAsLong(), size.getAsLong()))
                .mapToLong(p -> p.offset() + (address.getAsLong() - p.virtualAddress()))
                .findFirst()
                .orElseThrow(() -> file.invalid("DT_STRTAB (address 0x" + Long.toHexString(address.getAsLong())
                        + ", " + Long.toUnsignedString(size.getAsLong()) + " bytes) lies outside the loadable segments"));
        return new StringTable(file.read(offset, size.getAsLong(), "the dynamic string table"),
                "the dynamic string table");
    }

    private Optional<String> string(List<DynamicSection.Entry> entries, long tag, String name, StringTable strings) {
        OptionalLong offset = value(entries, tag);
        return offset.isPresent() ? Optional.of(strings.require(offset.getAsLong(), name, file)) : Optional.empty();
    }

    private static long number(List<DynamicSection.Entry> entries, long tag) {
        return value(entries, tag).orElse(0);
    }

    private static OptionalLong value(List<DynamicSection.Entry> entries, long tag) {
        return entries.stream().filter(e -> e.tag() == tag).mapToLong(DynamicSection.Entry::value).findFirst();
    }
}
