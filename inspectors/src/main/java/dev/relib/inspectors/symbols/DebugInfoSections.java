package dev.relib.inspectors.symbols;

import dev.relib.engine.elf.ElfFile;

/**
 * The DWARF sections frames are read from, inflated and kept in memory, so an object whose file is
 * gone (an unloaded module's deleted shadow copy) still answers. Each is null when the object
 * lacks it.
 */
record DebugInfoSections(byte[] info, byte[] abbrev, byte[] str, byte[] lineStr, byte[] strOffsets, byte[] addr,
                         byte[] ranges, byte[] rnglists, byte[] line) {

    /**
     * The sections of {@code elf}, inflated where compressed.
     *
     * @throws DwarfFormatException when a section is compressed in a way not read here, or damaged
     */
    static DebugInfoSections read(ElfFile elf) {
        return new DebugInfoSections(optional(elf, "info"), optional(elf, "abbrev"), optional(elf, "str"),
                optional(elf, "line_str"),
                optional(elf, "str_offsets"), optional(elf, "addr"), optional(elf, "ranges"),
                optional(elf, "rnglists"), optional(elf, "line"));
    }

    private static byte[] optional(ElfFile elf, String name) {
        return DebugSections.read(elf, name).orElse(null);
    }

    /** Whether {@code .debug_info} can be read at all (it needs {@code .debug_abbrev}). */
    boolean hasInfo() {
        return info != null && abbrev != null;
    }

    DebugStrings strings() {
        return new DebugStrings(str, lineStr);
    }
}
