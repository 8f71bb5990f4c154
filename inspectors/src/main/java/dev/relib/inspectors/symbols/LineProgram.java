package dev.relib.inspectors.symbols;

/** Runs one unit's line number program (DWARF 5, section 6.2.5) and adds its rows to a builder. */
final class LineProgram {

    /** must match: DWARF 5, section 7.22 (standard opcodes) */
    private static final int DW_LNS_COPY = 1;
    private static final int DW_LNS_ADVANCE_PC = 2;
    private static final int DW_LNS_ADVANCE_LINE = 3;
    private static final int DW_LNS_SET_FILE = 4;
    private static final int DW_LNS_SET_COLUMN = 5;
    private static final int DW_LNS_NEGATE_STMT = 6;
    private static final int DW_LNS_SET_BASIC_BLOCK = 7;
    private static final int DW_LNS_CONST_ADD_PC = 8;
    private static final int DW_LNS_FIXED_ADVANCE_PC = 9;
    private static final int DW_LNS_SET_PROLOGUE_END = 10;
    private static final int DW_LNS_SET_EPILOGUE_BEGIN = 11;
    private static final int DW_LNS_SET_ISA = 12;
    /** must match: DWARF 5, section 7.22 (extended opcodes) */
    private static final int DW_LNE_END_SEQUENCE = 1;
    private static final int DW_LNE_SET_ADDRESS = 2;
    private static final int DW_LNE_DEFINE_FILE = 3;

    private final LineProgramHeader header;
    private final DwarfCursor cursor;
    private final LineRowBuilder rows;

    private long address;
    private int operationIndex;
    private long file;
    private long line;
    private long column;

    LineProgram(LineProgramHeader header, DwarfCursor cursor, LineRowBuilder rows) {
        this.header = header;
        this.cursor = cursor;
        this.rows = rows;
    }

    void run() {
        rows.beginUnit(header.files());
        cursor.seek(header.programStart());
        reset();
        while (cursor.hasRemaining()) {
            int opcode = cursor.u8();
            if (opcode >= header.opcodeBase()) {
                special(opcode - header.opcodeBase());
            } else if (opcode == 0) {
                extended();
            } else {
                standard(opcode);
            }
        }
        if (rows.hasOpenSequence()) {
            throw cursor.error("the unit ends inside a sequence (no DW_LNE_end_sequence)");
        }
    }

    private void reset() {
        address = 0;
        operationIndex = 0;
        file = 1;
        line = 1;
        column = 0;
    }

    private void special(int adjusted) {
        advance(adjusted / header.lineRange());
        line += header.lineBase() + adjusted % header.lineRange();
        emit();
    }

    private void standard(int opcode) {
        switch (opcode) {
            case DW_LNS_COPY -> emit();
            case DW_LNS_ADVANCE_PC -> advance(cursor.uleb());
            case DW_LNS_ADVANCE_LINE -> line += cursor.sleb();
            case DW_LNS_SET_FILE -> file = cursor.uleb();
            case DW_LNS_SET_COLUMN -> column = cursor.uleb();
            case DW_LNS_CONST_ADD_PC -> advance((255 - header.opcodeBase()) / header.lineRange());
            case DW_LNS_FIXED_ADVANCE_PC -> {
                address += cursor.u16();
                operationIndex = 0;
            }
            case DW_LNS_NEGATE_STMT, DW_LNS_SET_BASIC_BLOCK, DW_LNS_SET_PROLOGUE_END,
                    DW_LNS_SET_EPILOGUE_BEGIN -> {
                // Flags that do not change where an address lies in the source.
            }
            case DW_LNS_SET_ISA -> cursor.uleb();
            default -> {
                // An opcode newer than this reader: its header says how many LEB128 operands to skip.
                for (int i = 0; i < header.standardOpcodeLengths()[opcode]; i++) {
                    cursor.uleb();
                }
            }
        }
    }

    private void extended() {
        long length = cursor.uleb();
        if (length == 0) {
            throw cursor.error("extended opcode of length 0 at offset " + cursor.position());
        }
        int start = cursor.position();
        int opcode = cursor.u8();
        switch (opcode) {
            case DW_LNE_END_SEQUENCE -> {
                rows.addRow(address, rows.fileId(file), clampLine(), clampColumn());
                rows.endSequence(cursor);
                reset();
            }
            case DW_LNE_SET_ADDRESS -> {
                if (length != 9) {
                    throw cursor.error("DW_LNE_set_address with a " + (length - 1) + "-byte address");
                }
                address = cursor.u64();
                operationIndex = 0;
            }
            case DW_LNE_DEFINE_FILE -> {
                String name = cursor.cstring();
                rows.defineFile(LineProgramHeader.readLegacyFileRest(cursor, name, header.directories()));
            }
            default -> {
                // DW_LNE_set_discriminator and vendor opcodes: nothing that moves an address.
            }
        }
        cursor.seek(start);
        cursor.skip(length);
    }

    private void advance(long operationAdvance) {
        int maximum = header.maximumOperationsPerInstruction();
        if (maximum == 1) {
            address += header.minimumInstructionLength() * operationAdvance;
        } else {
            long total = operationIndex + operationAdvance;
            address += header.minimumInstructionLength() * (total / maximum);
            operationIndex = (int) (total % maximum);
        }
    }

    private void emit() {
        rows.addRow(address, rows.fileId(file), clampLine(), clampColumn());
    }

    private int clampLine() {
        if (line < 0 || line > Integer.MAX_VALUE) {
            throw cursor.error("line " + line + " out of range");
        }
        return (int) line;
    }

    private int clampColumn() {
        return column < 0 || column > Integer.MAX_VALUE ? 0 : (int) column;
    }
}
