package dev.relib.engine.elf;

/** One entry of the section header table, with its name resolved from the section name table. */
public record SectionHeader(
        int index,
        String name,
        int type,
        long flags,
        long address,
        long offset,
        long size,
        int link,
        int info,
        long addressAlign,
        long entrySize) {

    /** Size of an ELF64 section header in bytes. */
    public static final int ENTRY_SIZE = 64;
    public static final int SHT_NULL = 0;
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_RELA = 4;
    public static final int SHT_DYNAMIC = 6;
    public static final int SHT_NOTE = 7;
    public static final int SHT_NOBITS = 8;
    public static final int SHT_DYNSYM = 11;

    /** Whether the section occupies bytes of the file ({@code .bss} and the null section do not). */
    public boolean hasFileBytes() {
        return type != SHT_NOBITS && type != SHT_NULL;
    }

    /** "[3] .dynsym", for messages. */
    String label() {
        return name.isEmpty() ? "section [" + index + "]" : "section [" + index + "] " + name;
    }

    SectionHeader named(String sectionName) {
        return new SectionHeader(index, sectionName, type, flags, address, offset, size, link, info,
                addressAlign, entrySize);
    }

    /** Decodes an entry; {@link #name()} is empty until {@link #named} is applied. */
    static SectionHeader decode(int index, byte[] table, int at) {
        return new SectionHeader(
                index,
                "",
                (int) LittleEndian.u32(table, at + 4),
                LittleEndian.u64(table, at + 8),
                LittleEndian.u64(table, at + 16),
                LittleEndian.u64(table, at + 24),
                LittleEndian.u64(table, at + 32),
                (int) LittleEndian.u32(table, at + 40),
                (int) LittleEndian.u32(table, at + 44),
                LittleEndian.u64(table, at + 48),
                LittleEndian.u64(table, at + 56));
    }

    static long nameOffset(byte[] table, int at) {
        return LittleEndian.u32(table, at);
    }
}
