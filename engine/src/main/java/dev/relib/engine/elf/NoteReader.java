package dev.relib.engine.elf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Finds the GNU build id among the object's notes: in {@code .note.gnu.build-id}, else in any note
 * section, else in the {@code PT_NOTE} segments (all that is left when section headers are stripped).
 */
final class NoteReader {

    private static final long NT_GNU_BUILD_ID = 3;
    private static final byte[] GNU = {'G', 'N', 'U', 0};
    private static final int NOTE_HEADER_SIZE = 12;

    /** A file region holding notes, with its alignment (8 for some GNU notes, 4 for the rest). */
    private record NoteRegion(String what, long offset, long size, long align) {
    }

    private NoteReader() {
    }

    static Optional<String> buildId(PositionalFileReader file, ElfLayout layout) {
        for (NoteRegion region : regions(layout)) {
            byte[] bytes = file.read(region.offset(), region.size(), region.what());
            Optional<byte[]> id = find(file, region, bytes);
            if (id.isPresent()) {
                return Optional.of(HexFormat.of().formatHex(id.get()));
            }
        }
        return Optional.empty();
    }

    private static List<NoteRegion> regions(ElfLayout layout) {
        List<NoteRegion> regions = new ArrayList<>();
        layout.sections().stream()
                .filter(s -> s.type() == SectionHeader.SHT_NOTE && s.name().equals(".note.gnu.build-id"))
                .forEach(s -> regions.add(new NoteRegion(s.label(), s.offset(), s.size(), s.addressAlign())));
        layout.sections().stream()
                .filter(s -> s.type() == SectionHeader.SHT_NOTE && !s.name().equals(".note.gnu.build-id"))
                .forEach(s -> regions.add(new NoteRegion(s.label(), s.offset(), s.size(), s.addressAlign())));
        if (regions.isEmpty()) {
            layout.programHeaders().stream()
                    .filter(p -> p.type() == ProgramHeader.PT_NOTE)
                    .forEach(p -> regions.add(new NoteRegion("note segment " + p.index(), p.offset(), p.fileSize(), p.align())));
        }
        return regions;
    }

    private static Optional<byte[]> find(PositionalFileReader file, NoteRegion region, byte[] bytes) {
        int align = region.align() == 8 ? 8 : 4;
        long at = 0;
        while (at + NOTE_HEADER_SIZE <= bytes.length) {
            int base = (int) at;
            long nameSize = LittleEndian.u32(bytes, base);
            long descSize = LittleEndian.u32(bytes, base + 4);
            long type = LittleEndian.u32(bytes, base + 8);
            long nameStart = at + NOTE_HEADER_SIZE;
            long descStart = alignUp(nameStart + nameSize, align);
            long descEnd = descStart + descSize;
            if (descEnd > bytes.length) {
                throw file.invalid("malformed note in " + region.what() + ": it runs past the end ("
                        + descEnd + " of " + bytes.length + " bytes)");
            }
            if (type == NT_GNU_BUILD_ID && nameSize == GNU.length && isGnu(bytes, (int) nameStart)) {
                byte[] id = new byte[(int) descSize];
                System.arraycopy(bytes, (int) descStart, id, 0, id.length);
                return Optional.of(id);
            }
            at = alignUp(descEnd, align);
        }
        return Optional.empty();
    }

    private static boolean isGnu(byte[] bytes, int at) {
        return Arrays.equals(bytes, at, at + GNU.length, GNU, 0, GNU.length);
    }

    private static long alignUp(long value, int align) {
        return (value + align - 1) & -align;
    }
}
