package dev.relib.engine.elf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and checks the ELF header, the program and section header tables and the section names,
 * bounding every offset and count against the file so that a corrupt file fails here, with a
 * message, before anything is mapped.
 */
final class ElfLayoutReader {

    private static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final int IDENT_SIZE = 16;
    /** Extended numbering: the real program header count is in section 0's {@code sh_info}. */
    private static final int PN_XNUM = 0xffff;
    /** Extended numbering: the real section name table index is in section 0's {@code sh_link}. */
    private static final int SHN_XINDEX = 0xffff;

    private final PositionalFileReader file;

    private ElfLayoutReader(PositionalFileReader file) {
        this.file = file;
    }

    static ElfLayout read(PositionalFileReader file) {
        return new ElfLayoutReader(file).read();
    }

    private ElfLayout read() {
        ElfHeader header = readHeader();
        // Segments are checked before the section table: in a cut-off copy the segments' extents are
        // what tells "truncated" apart from a corrupt section table offset.
        boolean extendedCount = header.programHeaderCount() == PN_XNUM;
        SectionHeader first = extendedCount ? readFirstSection(header) : null;
        List<ProgramHeader> segments = readProgramHeaders(header, first);
        if (!extendedCount) {
            first = readFirstSection(header);
        }
        List<SectionHeader> sections = readSections(header, first);
        return new ElfLayout(header, List.copyOf(segments), List.copyOf(sections));
    }

    private ElfHeader readHeader() {
        long size = file.size();
        if (size == 0) {
            throw file.invalid("not an ELF file (it is empty)");
        }
        byte[] bytes = file.read(0, Math.min(size, ElfHeader.SIZE), "ELF header");
        int magicBytes = Math.min(bytes.length, MAGIC.length);
        for (int i = 0; i < magicBytes; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw file.invalid("not an ELF file (starts with " + describeStart(bytes) + ", not \\x7fELF)");
            }
        }
        if (size < IDENT_SIZE) {
            throw truncated("ELF identification", IDENT_SIZE);
        }
        int elfClass = bytes[4];
        if (elfClass == ElfHeader.ELFCLASS32) {
            throw file.invalid("32-bit ELF; relib loads 64-bit x86-64 objects");
        }
        if (elfClass != ElfHeader.ELFCLASS64) {
            throw file.invalid("invalid ELF class " + elfClass + " (expected 2, 64-bit)");
        }
        int data = bytes[5];
        if (data == ElfHeader.ELFDATA2MSB) {
            throw file.invalid("big-endian ELF; relib loads little-endian x86-64 objects");
        }
        if (data != ElfHeader.ELFDATA2LSB) {
            throw file.invalid("invalid ELF data encoding " + data + " (expected 1, little-endian)");
        }
        if (bytes[6] != 1) {
            throw file.invalid("unsupported ELF version " + bytes[6] + " (expected 1)");
        }
        if (size < ElfHeader.SIZE) {
            throw truncated("ELF header", ElfHeader.SIZE);
        }
        ElfHeader header = ElfHeader.decode(bytes);
        if (header.programHeaderCount() != 0 && header.programHeaderEntrySize() != ProgramHeader.ENTRY_SIZE) {
            throw file.invalid("program header entry size " + header.programHeaderEntrySize()
                    + ", expected " + ProgramHeader.ENTRY_SIZE);
        }
        if (header.sectionHeaderOffset() != 0 && header.sectionHeaderEntrySize() != SectionHeader.ENTRY_SIZE) {
            throw file.invalid("section header entry size " + header.sectionHeaderEntrySize()
                    + ", expected " + SectionHeader.ENTRY_SIZE);
        }
        return header;
    }

    /** Section 0, needed first only for extended numbering; null when there is no section table. */
    private SectionHeader readFirstSection(ElfHeader header) {
        if (header.sectionHeaderOffset() == 0) {
            return null;
        }
        // The whole table when its size is known, so a cut inside it reports the size it needs.
        long knownSize = (long) Math.max(1, header.sectionHeaderCount()) * SectionHeader.ENTRY_SIZE;
        requireTable("section header table", header.sectionHeaderOffset(), knownSize);
        byte[] entry = file.read(header.sectionHeaderOffset(), SectionHeader.ENTRY_SIZE, "section header 0");
        return SectionHeader.decode(0, entry, 0);
    }

    private List<ProgramHeader> readProgramHeaders(ElfHeader header, SectionHeader first) {
        long count = header.programHeaderCount();
        if (count == PN_XNUM && first != null) {
            count = Integer.toUnsignedLong(first.info());
        }
        if (count == 0) {
            return List.of();
        }
        long tableSize = count * ProgramHeader.ENTRY_SIZE;
        requireTable("program header table", header.programHeaderOffset(), tableSize);
        byte[] table = file.read(header.programHeaderOffset(), tableSize, "program header table");
        List<ProgramHeader> segments = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            ProgramHeader segment = ProgramHeader.decode(i, table, i * ProgramHeader.ENTRY_SIZE);
            // A segment past the end of the file maps without error, then SIGBUSes whoever touches it.
            if (segment.isLoad()) {
                requireRegion("loadable segment " + i, segment.offset(), segment.fileSize());
            }
            segments.add(segment);
        }
        return segments;
    }

    private List<SectionHeader> readSections(ElfHeader header, SectionHeader first) {
        if (first == null) {
            return List.of();
        }
        long count = header.sectionHeaderCount() == 0 ? first.size() : header.sectionHeaderCount();
        if (count == 0) {
            return List.of();
        }
        if (count < 0 || count > file.size() / SectionHeader.ENTRY_SIZE) {
            throw file.invalid("section count " + Long.toUnsignedString(count) + " does not fit in a file of "
                    + file.size() + " bytes");
        }
        long tableSize = count * SectionHeader.ENTRY_SIZE;
        requireTable("section header table", header.sectionHeaderOffset(), tableSize);
        byte[] table = file.read(header.sectionHeaderOffset(), tableSize, "section header table");
        List<SectionHeader> unnamed = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            unnamed.add(SectionHeader.decode(i, table, i * SectionHeader.ENTRY_SIZE));
        }
        long nameTableIndex = header.sectionNameTableIndex() == SHN_XINDEX
                ? Integer.toUnsignedLong(first.link())
                : header.sectionNameTableIndex();
        StringTable names = readNameTable(unnamed, nameTableIndex);
        List<SectionHeader> sections = new ArrayList<>(unnamed.size());
        for (SectionHeader section : unnamed) {
            long nameOffset = SectionHeader.nameOffset(table, section.index() * SectionHeader.ENTRY_SIZE);
            SectionHeader named = section.named(names.require(nameOffset, "the name of section [" + section.index() + "]", file));
            if (named.hasFileBytes()) {
                requireRegion(named.label(), named.offset(), named.size());
            }
            sections.add(named);
        }
        return sections;
    }

    private StringTable readNameTable(List<SectionHeader> sections, long index) {
        if (index == 0) {
            return StringTable.EMPTY;
        }
        if (index >= sections.size()) {
            throw file.invalid("section name table index " + index + " is out of range (" + sections.size() + " sections)");
        }
        SectionHeader table = sections.get((int) index);
        if (!table.hasFileBytes()) {
            throw file.invalid("section name table [" + index + "] has no bytes in the file");
        }
        requireRegion("section name table [" + index + "]", table.offset(), table.size());
        return new StringTable(file.read(table.offset(), table.size(), "section name table"), "the section name table");
    }

    /**
     * A header table must lie inside the file. Starting inside but running past the end is what a
     * cut-off copy looks like; starting past the end may be a cut-off copy or a corrupt offset.
     */
    private void requireTable(String what, long offset, long length) {
        if (file.contains(offset, length)) {
            return;
        }
        if (offset >= 0 && offset < file.size() && length >= 0) {
            throw truncated(what, offset + length);
        }
        throw outOfBounds(what, offset, length);
    }

    private void requireRegion(String what, long offset, long length) {
        if (file.contains(offset, length)) {
            return;
        }
        if (offset >= 0 && offset <= file.size() && length >= 0 && offset + length > 0) {
            throw truncated(what, offset + length);
        }
        throw outOfBounds(what, offset, length);
    }

    private RuntimeException outOfBounds(String what, long offset, long length) {
        return file.invalid(what + " out of bounds (offset " + Long.toUnsignedString(offset) + ", "
                + Long.toUnsignedString(length) + " bytes; file has " + file.size() + " bytes): truncated or corrupt");
    }

    private RuntimeException truncated(String what, long needed) {
        return file.invalid("truncated: " + what + " needs " + needed + " bytes, file has " + file.size());
    }

    /** The first bytes as text when they are printable (a script, a linker script), else in hex. */
    private static String describeStart(byte[] bytes) {
        int length = Math.min(bytes.length, 8);
        boolean printable = true;
        for (int i = 0; i < length; i++) {
            int b = bytes[i] & 0xff;
            printable &= (b >= 0x20 && b < 0x7f) || b == '\n' || b == '\t' || b == '\r';
        }
        if (printable) {
            String text = new String(bytes, 0, length, StandardCharsets.US_ASCII)
                    .replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
            return "\"" + text + (bytes.length > length ? "...\"" : "\"");
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < length; i++) {
            hex.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[i] & 0xff));
        }
        return hex.toString();
    }
}
