package dev.relib.engine.elf;

/** One entry of the program header table: a segment. */
public record ProgramHeader(
        int index,
        int type,
        int flags,
        long offset,
        long virtualAddress,
        long physicalAddress,
        long fileSize,
        long memorySize,
        long align) {

    /** Size of an ELF64 program header in bytes. */
    public static final int ENTRY_SIZE = 56;
    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final int PT_INTERP = 3;
    public static final int PT_NOTE = 4;
    public static final int PT_TLS = 7;
    public static final int PT_GNU_EH_FRAME = 0x6474e550;
    public static final int PT_GNU_STACK = 0x6474e551;
    public static final int PT_GNU_RELRO = 0x6474e552;
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    public boolean isLoad() {
        return type == PT_LOAD;
    }

    /** Whether {@code address} lies in the part of this segment that the file backs. */
    boolean coversInFile(long address, long length) {
        long delta = address - virtualAddress;
        return Long.compareUnsigned(address, virtualAddress) >= 0
                && length >= 0
                && Long.compareUnsigned(delta, fileSize) <= 0
                && Long.compareUnsigned(length, fileSize - delta) <= 0;
    }

    static ProgramHeader decode(int index, byte[] table, int at) {
        return new ProgramHeader(
                index,
                (int) LittleEndian.u32(table, at),
                (int) LittleEndian.u32(table, at + 4),
                LittleEndian.u64(table, at + 8),
                LittleEndian.u64(table, at + 16),
                LittleEndian.u64(table, at + 24),
                LittleEndian.u64(table, at + 32),
                LittleEndian.u64(table, at + 40),
                LittleEndian.u64(table, at + 48));
    }
}
