package dev.relib.inspectors.symbols;

import java.util.ArrayList;
import java.util.List;

/**
 * The header of one line number program (one compilation unit's part of {@code .debug_line}),
 * DWARF 2 to 5, with its file table already joined to directories.
 *
 * @param directories  directories by index; in DWARF 2-4 index 0 is the compilation directory (null
 *                     when unknown)
 * @param files        file paths indexed by the value of the {@code file} register; in DWARF 2-4
 *                     index 0 is unused (null), in DWARF 5 it is the primary source file;
 *                     {@code DW_LNE_define_file} appends to it
 * @param programStart offset of the first opcode
 * @param unitEnd      offset just past this unit
 */
record LineProgramHeader(
        int version,
        int offsetSize,
        int minimumInstructionLength,
        int maximumOperationsPerInstruction,
        boolean defaultIsStmt,
        int lineBase,
        int lineRange,
        int opcodeBase,
        int[] standardOpcodeLengths,
        List<String> directories,
        List<String> files,
        int programStart,
        int unitEnd) {

    private static final int DW_LNCT_PATH = 1;
    private static final int DW_LNCT_DIRECTORY_INDEX = 2;


    /**
     * Reads the header of the unit at the cursor's position and leaves the cursor limited to the
     * unit, positioned at the first opcode.
     *
     * @param compilationDirectory the unit's {@code DW_AT_comp_dir} from {@code .debug_info}, or
     *                             null; DWARF 2-4 directory index 0 means it
     */
    static LineProgramHeader read(DwarfCursor cursor, DebugStrings strings, String compilationDirectory) {
        int offsetSize = 4;
        long unitLength = cursor.u32();
        if (unitLength == 0xffff_ffffL) {
            offsetSize = 8;
            unitLength = cursor.u64();
        } else if (unitLength >= 0xffff_fff0L) {
            throw cursor.error("reserved unit length 0x" + Long.toHexString(unitLength));
        }
        long unitEnd = cursor.position() + unitLength;
        if (unitLength < 0 || unitEnd > cursor.limit()) {
            throw cursor.error("unit length " + Long.toUnsignedString(unitLength) + " runs past the section");
        }
        cursor.limitTo(unitEnd);
        int version = cursor.u16();
        if (version < 2 || version > 5) {
            throw cursor.error("line table version " + version + " (versions 2 to 5 are read)");
        }
        if (version >= 5) {
            int addressSize = cursor.u8();
            int segmentSelectorSize = cursor.u8();
            if (addressSize != 8 || segmentSelectorSize != 0) {
                throw cursor.error("address size " + addressSize + ", segment selector size " + segmentSelectorSize
                        + " (x86-64 objects use 8 and 0)");
            }
        }
        long headerLength = cursor.unsigned(offsetSize);
        long programStart = cursor.position() + headerLength;
        if (headerLength < 0 || programStart > unitEnd) {
            throw cursor.error("header length " + headerLength + " runs past the unit");
        }
        int minimumInstructionLength = cursor.u8();
        int maximumOperations = version >= 4 ? cursor.u8() : 1;
        boolean defaultIsStmt = cursor.u8() != 0;
        int lineBase = cursor.s8();
        int lineRange = cursor.u8();
        int opcodeBase = cursor.u8();
        if (lineRange == 0) {
            throw cursor.error("line range 0");
        }
        if (opcodeBase == 0) {
            throw cursor.error("opcode base 0");
        }
        int[] standardOpcodeLengths = new int[opcodeBase];
        for (int i = 1; i < opcodeBase; i++) {
            standardOpcodeLengths[i] = cursor.u8();
        }
        List<String> directories = new ArrayList<>();
        List<String> files = new ArrayList<>();
        if (version >= 5) {
            readVersion5Tables(cursor, strings, offsetSize, directories, files);
        } else {
            readLegacyTables(cursor, compilationDirectory, directories, files);
        }
        return new LineProgramHeader(version, offsetSize, minimumInstructionLength,
                Math.max(1, maximumOperations), defaultIsStmt, lineBase, lineRange, opcodeBase,
                standardOpcodeLengths, directories, files, (int) programStart, (int) unitEnd);
    }

    /** DWARF 2-4: NUL-terminated lists; directory 0 and file 0 are implicit. */
    private static void readLegacyTables(DwarfCursor cursor, String compilationDirectory,
            List<String> directories, List<String> files) {
        directories.add(compilationDirectory);
        for (String directory = cursor.cstring(); !directory.isEmpty(); directory = cursor.cstring()) {
            directories.add(directory);
        }
        files.add(null);
        for (String name = cursor.cstring(); !name.isEmpty(); name = cursor.cstring()) {
            files.add(readLegacyFileRest(cursor, name, directories));
        }
    }

    /** Reads a DWARF 2-4 file entry after its name (directory index, time, length). */
    static String readLegacyFileRest(DwarfCursor cursor, String name, List<String> directories) {
        int directoryIndex = cursor.ulebInt("directory index");
        cursor.uleb();
        cursor.uleb();
        return join(directories, directoryIndex, name, cursor);
    }

    private static void readVersion5Tables(DwarfCursor cursor, DebugStrings strings, int offsetSize,
            List<String> directories, List<String> files) {
        int[][] directoryFormat = readEntryFormat(cursor);
        int directoryCount = cursor.ulebInt("directory count");
        for (int i = 0; i < directoryCount; i++) {
            directories.add(readEntry(cursor, directoryFormat, strings, offsetSize).path);
        }
        int[][] fileFormat = readEntryFormat(cursor);
        int fileCount = cursor.ulebInt("file count");
        for (int i = 0; i < fileCount; i++) {
            Entry entry = readEntry(cursor, fileFormat, strings, offsetSize);
            if (entry.path == null) {
                throw cursor.error("file entry " + i + " has no DW_LNCT_path");
            }
            // DWARF 5 directory 0 is the compilation directory itself, and other entries are
            // relative to it when not absolute.
            files.add(join(directories, entry.directoryIndex, entry.path, cursor));
        }
    }

    private static int[][] readEntryFormat(DwarfCursor cursor) {
        int count = cursor.u8();
        int[][] format = new int[count][2];
        for (int i = 0; i < count; i++) {
            format[i][0] = cursor.ulebInt("content type");
            format[i][1] = cursor.ulebInt("form");
        }
        return format;
    }

    private static Entry readEntry(DwarfCursor cursor, int[][] format, DebugStrings strings, int offsetSize) {
        Entry entry = new Entry();
        for (int[] field : format) {
            int contentType = field[0];
            int form = field[1];
            switch (contentType) {
                case DW_LNCT_PATH -> entry.path = readString(cursor, form, strings, offsetSize);
                case DW_LNCT_DIRECTORY_INDEX -> entry.directoryIndex = (int) readUnsigned(cursor, form);
                default -> skipForm(cursor, form, offsetSize);
            }
        }
        return entry;
    }

    private static String readString(DwarfCursor cursor, int form, DebugStrings strings, int offsetSize) {
        return switch (form) {
            case DwarfForm.STRING -> cursor.cstring();
            case DwarfForm.LINE_STRP -> strings.lineStrp(cursor.unsigned(offsetSize));
            case DwarfForm.STRP -> strings.strp(cursor.unsigned(offsetSize));
            default -> throw cursor.error("path in form 0x" + Integer.toHexString(form) + " is not read here");
        };
    }

    private static long readUnsigned(DwarfCursor cursor, int form) {
        long value = switch (form) {
            case DwarfForm.DATA1 -> cursor.u8();
            case DwarfForm.DATA2 -> cursor.u16();
            case DwarfForm.DATA4 -> cursor.u32();
            case DwarfForm.DATA8 -> cursor.u64();
            case DwarfForm.UDATA -> cursor.uleb();
            default -> throw cursor.error("directory index in form 0x" + Integer.toHexString(form) + " is not read here");
        };
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw cursor.error("directory index " + Long.toUnsignedString(value) + " out of range");
        }
        return value;
    }

    private static void skipForm(DwarfCursor cursor, int form, int offsetSize) {
        switch (form) {
            case DwarfForm.STRING -> cursor.cstring();
            case DwarfForm.LINE_STRP, DwarfForm.STRP -> cursor.skip(offsetSize);
            case DwarfForm.DATA1 -> cursor.skip(1);
            case DwarfForm.DATA2 -> cursor.skip(2);
            case DwarfForm.DATA4 -> cursor.skip(4);
            case DwarfForm.DATA8 -> cursor.skip(8);
            case DwarfForm.DATA16 -> cursor.skip(16);
            case DwarfForm.UDATA -> cursor.uleb();
            case DwarfForm.SDATA -> cursor.sleb();
            case DwarfForm.BLOCK -> cursor.skip(cursor.uleb());
            case DwarfForm.BLOCK1 -> cursor.skip(cursor.u8());
            case DwarfForm.BLOCK2 -> cursor.skip(cursor.u16());
            case DwarfForm.BLOCK4 -> cursor.skip(cursor.u32());
            default -> throw cursor.error("entry field in form 0x" + Integer.toHexString(form) + " is not read here");
        }
    }

    private static String join(List<String> directories, int directoryIndex, String name, DwarfCursor cursor) {
        if (name.startsWith("/")) {
            return name;
        }
        if (directoryIndex < 0 || directoryIndex >= directories.size()) {
            throw cursor.error("file " + name + " names directory " + directoryIndex + " of " + directories.size());
        }
        String directory = directories.get(directoryIndex);
        if (directoryIndex != 0 && directory != null && !directory.startsWith("/") && directories.get(0) != null) {
            directory = directories.get(0) + "/" + directory;
        }
        return directory == null || directory.isEmpty() ? name : directory + "/" + name;
    }

    private static final class Entry {
        String path;
        int directoryIndex;
    }
}
