package dev.relib.engine.elf;

import java.util.List;

/** What {@link ElfFile#open} reads and checks: the header and both header tables, sections named. */
record ElfLayout(ElfHeader header, List<ProgramHeader> programHeaders, List<SectionHeader> sections) {
}
