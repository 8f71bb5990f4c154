package dev.relib.engine.elf;

import java.util.List;

/**
 * The object as the dynamic loader maps it: each {@code PT_LOAD} segment's file bytes at its
 * virtual address, zeros up to its memory size, nothing elsewhere. Addresses are relative to the
 * load base, as in the file. Reads go to the file (never a mapping), zero-filling past the file
 * bytes. Built only from segments already checked to be sorted, disjoint and below
 * {@link #ADDRESS_LIMIT}, so plain {@code long} arithmetic cannot overflow here.
 */
final class LoadImage {

    /** Offsets inside a user-space image fit in 47 bits; anything above is refused first. */
    static final long ADDRESS_LIMIT = 1L << 47;
    /** The most this reads at once; a table this large is not one a real object has. */
    static final long MAX_READ = 256L << 20;

    private final PositionalFileReader file;
    private final List<ProgramHeader> loads;

    LoadImage(PositionalFileReader file, List<ProgramHeader> loads) {
        this.file = file;
        this.loads = List.copyOf(loads);
    }

    List<ProgramHeader> loads() {
        return loads;
    }

    /** The segment whose memory holds all of {@code [address, address + length)}, or null. */
    ProgramHeader segmentOf(long address, long length) {
        if (address < 0 || length < 0 || address >= ADDRESS_LIMIT || length >= ADDRESS_LIMIT) {
            return null;
        }
        for (ProgramHeader load : loads) {
            long start = load.virtualAddress();
            if (address >= start && address + length <= start + load.memorySize()) {
                return load;
            }
        }
        return null;
    }

    boolean contains(long address, long length) {
        return segmentOf(address, length) != null;
    }

    /** Whether the range lies inside the part of one segment that the file backs. */
    boolean fileBacked(long address, long length) {
        ProgramHeader load = segmentOf(address, length);
        return load != null && address + length <= load.virtualAddress() + load.fileSize();
    }

    boolean executable(long address) {
        ProgramHeader load = segmentOf(address, 1);
        return load != null && (load.flags() & ProgramHeader.PF_X) != 0;
    }

    boolean writable(long address, long length) {
        ProgramHeader load = segmentOf(address, length);
        return load != null && (load.flags() & ProgramHeader.PF_W) != 0;
    }

    /** What the loader would see at {@code [address, address + length)}; the range must be inside. */
    byte[] read(long address, long length, String what) {
        ProgramHeader load = segmentOf(address, length);
        if (load == null || length > MAX_READ) {
            throw new IllegalArgumentException(what + " is not inside one segment");
        }
        byte[] bytes = new byte[(int) length];
        long fileEnd = load.virtualAddress() + load.fileSize();
        long fromFile = Math.max(0, Math.min(length, fileEnd - address));
        if (fromFile > 0) {
            byte[] part = file.read(load.offset() + (address - load.virtualAddress()), fromFile, what);
            System.arraycopy(part, 0, bytes, 0, part.length);
        }
        return bytes;
    }

    /** The lowest and highest address any segment occupies, as the loader reserves it. */
    long start() {
        return loads.get(0).virtualAddress();
    }

    long end() {
        ProgramHeader last = loads.get(loads.size() - 1);
        return last.virtualAddress() + last.memorySize();
    }
}
