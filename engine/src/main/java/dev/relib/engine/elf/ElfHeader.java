package dev.relib.engine.elf;

/**
 * The ELF file header, as read from the file. Counts are the raw header fields; with extended
 * numbering ({@code e_shnum == 0}, {@code e_phnum == 0xffff}) the real counts are those of
 * {@link ElfFile#sections()} and {@link ElfFile#programHeaders()}.
 */
public record ElfHeader(
        int elfClass,
        int dataEncoding,
        int osAbi,
        int type,
        int machine,
        long entry,
        long programHeaderOffset,
        long sectionHeaderOffset,
        int flags,
        int headerSize,
        int programHeaderEntrySize,
        int programHeaderCount,
        int sectionHeaderEntrySize,
        int sectionHeaderCount,
        int sectionNameTableIndex) {

    /** Size of the ELF64 header in bytes. */
    public static final int SIZE = 64;
    public static final int ELFCLASS32 = 1;
    public static final int ELFCLASS64 = 2;
    public static final int ELFDATA2LSB = 1;
    public static final int ELFDATA2MSB = 2;
    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int ET_CORE = 4;
    public static final int EM_386 = 3;
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;

    /** The architecture in words, as a person would name it. */
    public static String machineName(int machine) {
        return switch (machine) {
            case 2 -> "SPARC";
            case EM_386 -> "x86 (32-bit)";
            case 8 -> "MIPS";
            case 20 -> "PowerPC";
            case 21 -> "PowerPC64";
            case 22 -> "IBM S/390";
            case 40 -> "ARM";
            case 43 -> "SPARC V9";
            case EM_X86_64 -> "x86-64";
            case EM_AARCH64 -> "AArch64";
            case 243 -> "RISC-V";
            case 258 -> "LoongArch";
            default -> "machine " + machine;
        };
    }

    /** The object type in words: "shared object", "executable", ... */
    public static String typeName(int type) {
        return switch (type) {
            case ET_REL -> "relocatable object file";
            case ET_EXEC -> "executable";
            case ET_DYN -> "shared object";
            case ET_CORE -> "core dump";
            default -> "object of type " + type;
        };
    }

    public String machineName() {
        return machineName(machine);
    }

    public String typeName() {
        return typeName(type);
    }

    /** Decodes the 64 header bytes of a 64-bit little-endian file; the caller checked the identification. */
    static ElfHeader decode(byte[] bytes) {
        return new ElfHeader(
                LittleEndian.u8(bytes, 4),
                LittleEndian.u8(bytes, 5),
                LittleEndian.u8(bytes, 7),
                LittleEndian.u16(bytes, 16),
                LittleEndian.u16(bytes, 18),
                LittleEndian.u64(bytes, 24),
                LittleEndian.u64(bytes, 32),
                LittleEndian.u64(bytes, 40),
                (int) LittleEndian.u32(bytes, 48),
                LittleEndian.u16(bytes, 52),
                LittleEndian.u16(bytes, 54),
                LittleEndian.u16(bytes, 56),
                LittleEndian.u16(bytes, 58),
                LittleEndian.u16(bytes, 60),
                LittleEndian.u16(bytes, 62));
    }
}
