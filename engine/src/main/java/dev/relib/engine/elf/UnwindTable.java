package dev.relib.engine.elf;

import java.util.HashSet;
import java.util.Set;

/**
 * The function start addresses in {@code .eh_frame_hdr}'s binary search table, which stripped
 * objects keep: a function pointer the file gives (an {@code -Wl,-init=} function) should be one.
 * Only the encoding every x86-64 linker writes is read (count {@code udata4}, table
 * {@code datarel|sdata4}); any other gives an empty set.
 */
final class UnwindTable {

    private static final int VERSION = 1;
    private static final int UDATA4 = 0x03;
    private static final int DATAREL_SDATA4 = 0x3b;
    private static final int HEADER = 12;
    private static final long MAX_ENTRIES = 1 << 22;

    private UnwindTable() {
    }

    static Set<Long> functionStarts(LoadImage image, ElfLayout layout) {
        Set<Long> starts = new HashSet<>();
        for (ProgramHeader header : layout.programHeaders()) {
            if (header.type() != ProgramHeader.PT_GNU_EH_FRAME || !image.fileBacked(header.virtualAddress(), HEADER)) {
                continue;
            }
            long base = header.virtualAddress();
            byte[] head = image.read(base, HEADER, ".eh_frame_hdr");
            if (head[0] != VERSION || (head[2] & 0xff) != UDATA4 || (head[3] & 0xff) != DATAREL_SDATA4) {
                continue;
            }
            long count = LittleEndian.u32(head, 8);
            if (count > MAX_ENTRIES || !image.fileBacked(base + HEADER, count * 8)) {
                continue;
            }
            byte[] table = image.read(base + HEADER, count * 8, ".eh_frame_hdr table");
            for (int i = 0; i < count; i++) {
                starts.add(base + (int) LittleEndian.u32(table, 8 * i));
            }
        }
        return starts;
    }
}
