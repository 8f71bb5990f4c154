package dev.relib.inspectors.symbols;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads {@code DW_AT_comp_dir} and {@code DW_AT_stmt_list} from the first entry of every
 * compilation unit in {@code .debug_info}: DWARF 2-4 line tables name files relative to the
 * compilation directory, which only {@code .debug_info} records. Only the unit's root entry is
 * decoded; attributes before the two wanted ones are skipped by form.
 */
final class CompilationDirectories {

    private static final int DW_AT_STMT_LIST = 0x10;
    private static final int DW_AT_COMP_DIR = 0x1b;
    private static final int DW_UT_COMPILE = 0x01;
    private static final int DW_UT_PARTIAL = 0x03;
    private static final int DW_UT_SKELETON = 0x04;
    private static final int DW_UT_SPLIT_COMPILE = 0x05;

    /** must match: DWARF 5, section 7.5.6 (attribute form encodings), plus GNU extensions */
    private static final int DW_FORM_ADDR = 0x01;
    private static final int DW_FORM_BLOCK2 = 0x03;
    private static final int DW_FORM_BLOCK4 = 0x04;
    private static final int DW_FORM_DATA2 = 0x05;
    private static final int DW_FORM_DATA4 = 0x06;
    private static final int DW_FORM_DATA8 = 0x07;
    private static final int DW_FORM_STRING = 0x08;
    private static final int DW_FORM_BLOCK = 0x09;
    private static final int DW_FORM_BLOCK1 = 0x0a;
    private static final int DW_FORM_DATA1 = 0x0b;
    private static final int DW_FORM_FLAG = 0x0c;
    private static final int DW_FORM_SDATA = 0x0d;
    private static final int DW_FORM_STRP = 0x0e;
    private static final int DW_FORM_UDATA = 0x0f;
    private static final int DW_FORM_REF_ADDR = 0x10;
    private static final int DW_FORM_REF1 = 0x11;
    private static final int DW_FORM_REF2 = 0x12;
    private static final int DW_FORM_REF4 = 0x13;
    private static final int DW_FORM_REF8 = 0x14;
    private static final int DW_FORM_REF_UDATA = 0x15;
    private static final int DW_FORM_INDIRECT = 0x16;
    private static final int DW_FORM_SEC_OFFSET = 0x17;
    private static final int DW_FORM_EXPRLOC = 0x18;
    private static final int DW_FORM_FLAG_PRESENT = 0x19;
    private static final int DW_FORM_STRX = 0x1a;
    private static final int DW_FORM_ADDRX = 0x1b;
    private static final int DW_FORM_REF_SUP4 = 0x1c;
    private static final int DW_FORM_STRP_SUP = 0x1d;
    private static final int DW_FORM_DATA16 = 0x1e;
    private static final int DW_FORM_LINE_STRP = 0x1f;
    private static final int DW_FORM_REF_SIG8 = 0x20;
    private static final int DW_FORM_IMPLICIT_CONST = 0x21;
    private static final int DW_FORM_LOCLISTX = 0x22;
    private static final int DW_FORM_RNGLISTX = 0x23;
    private static final int DW_FORM_REF_SUP8 = 0x24;
    private static final int DW_FORM_STRX1 = 0x25;
    private static final int DW_FORM_STRX4 = 0x28;
    private static final int DW_FORM_ADDRX1 = 0x29;
    private static final int DW_FORM_ADDRX4 = 0x2c;
    private static final int DW_FORM_GNU_ADDR_INDEX = 0x1f01;
    private static final int DW_FORM_GNU_STR_INDEX = 0x1f02;
    private static final int DW_FORM_GNU_REF_ALT = 0x1f20;
    private static final int DW_FORM_GNU_STRP_ALT = 0x1f21;

    private CompilationDirectories() {
    }

    /**
     * The compilation directory of each unit, keyed by its line table's offset in
     * {@code .debug_line}. Units that cannot be read are left out (their files stay relative).
     */
    static Map<Long, String> read(byte[] debugInfo, byte[] debugAbbrev, DebugStrings strings) {
        Map<Long, String> directories = new HashMap<>();
        if (debugInfo == null || debugAbbrev == null) {
            return directories;
        }
        DwarfCursor cursor = new DwarfCursor(debugInfo, ".debug_info");
        while (cursor.hasRemaining()) {
            long unitEnd;
            try {
                int offsetSize = 4;
                long length = cursor.u32();
                if (length == 0xffff_ffffL) {
                    offsetSize = 8;
                    length = cursor.u64();
                } else if (length >= 0xffff_fff0L) {
                    return directories;
                }
                unitEnd = cursor.position() + length;
                cursor.limitTo(unitEnd);
                readUnit(cursor, offsetSize, debugAbbrev, strings, directories);
            } catch (DwarfFormatException e) {
                return directories;
            }
            cursor.resetLimit();
            cursor.seek(unitEnd);
        }
        return directories;
    }

    private static void readUnit(DwarfCursor cursor, int offsetSize, byte[] debugAbbrev, DebugStrings strings,
            Map<Long, String> directories) {
        int version = cursor.u16();
        long abbrevOffset;
        int addressSize;
        if (version >= 5) {
            int unitType = cursor.u8();
            addressSize = cursor.u8();
            abbrevOffset = cursor.unsigned(offsetSize);
            if (unitType == DW_UT_SKELETON || unitType == DW_UT_SPLIT_COMPILE) {
                cursor.skip(8);
            } else if (unitType != DW_UT_COMPILE && unitType != DW_UT_PARTIAL) {
                return;
            }
        } else if (version >= 2) {
            abbrevOffset = cursor.unsigned(offsetSize);
            addressSize = cursor.u8();
        } else {
            return;
        }
        long code = cursor.uleb();
        if (code == 0) {
            return;
        }
        DwarfCursor abbrev = findAbbreviation(debugAbbrev, abbrevOffset, code);
        abbrev.uleb();
        abbrev.u8();
        Long stmtList = null;
        String compDir = null;
        while (true) {
            int attribute = abbrev.ulebInt("attribute");
            int form = abbrev.ulebInt("form");
            if (attribute == 0 && form == 0) {
                break;
            }
            if (form == DW_FORM_IMPLICIT_CONST) {
                abbrev.sleb();
                continue;
            }
            if (attribute == DW_AT_STMT_LIST && (form == DW_FORM_SEC_OFFSET || form == DW_FORM_DATA4 || form == DW_FORM_DATA8)) {
                stmtList = form == DW_FORM_SEC_OFFSET ? cursor.unsigned(offsetSize) : cursor.unsigned(form == DW_FORM_DATA4 ? 4 : 8);
            } else if (attribute == DW_AT_COMP_DIR && (form == DW_FORM_STRING || form == DW_FORM_STRP || form == DW_FORM_LINE_STRP)) {
                compDir = switch (form) {
                    case DW_FORM_STRING -> cursor.cstring();
                    case DW_FORM_STRP -> strings.strp(cursor.unsigned(offsetSize));
                    default -> strings.lineStrp(cursor.unsigned(offsetSize));
                };
            } else {
                skip(cursor, form, offsetSize, addressSize, version);
            }
            if (stmtList != null && compDir != null) {
                break;
            }
        }
        if (stmtList != null && compDir != null) {
            directories.put(stmtList, compDir);
        }
    }

    /** A cursor just past the code of abbreviation {@code code} in the table at {@code offset}. */
    private static DwarfCursor findAbbreviation(byte[] debugAbbrev, long offset, long code) {
        DwarfCursor abbrev = new DwarfCursor(debugAbbrev, ".debug_abbrev");
        abbrev.seek(offset);
        while (true) {
            long entryCode = abbrev.uleb();
            if (entryCode == 0) {
                throw abbrev.error("abbreviation " + code + " not found");
            }
            if (entryCode == code) {
                return abbrev;
            }
            abbrev.uleb();
            abbrev.u8();
            while (true) {
                long attribute = abbrev.uleb();
                long form = abbrev.uleb();
                if (attribute == 0 && form == 0) {
                    break;
                }
                if (form == DW_FORM_IMPLICIT_CONST) {
                    abbrev.sleb();
                }
            }
        }
    }

    private static void skip(DwarfCursor cursor, int form, int offsetSize, int addressSize, int version) {
        switch (form) {
            case DW_FORM_ADDR -> cursor.skip(addressSize);
            case DW_FORM_BLOCK2 -> cursor.skip(cursor.u16());
            case DW_FORM_BLOCK4 -> cursor.skip(cursor.u32());
            case DW_FORM_DATA2, DW_FORM_REF2 -> cursor.skip(2);
            case DW_FORM_DATA4, DW_FORM_REF4, DW_FORM_REF_SUP4 -> cursor.skip(4);
            case DW_FORM_DATA8, DW_FORM_REF8, DW_FORM_REF_SIG8, DW_FORM_REF_SUP8 -> cursor.skip(8);
            case DW_FORM_DATA16 -> cursor.skip(16);
            case DW_FORM_STRING -> cursor.cstring();
            case DW_FORM_BLOCK, DW_FORM_EXPRLOC -> cursor.skip(cursor.uleb());
            case DW_FORM_BLOCK1 -> cursor.skip(cursor.u8());
            case DW_FORM_DATA1, DW_FORM_REF1, DW_FORM_FLAG -> cursor.skip(1);
            case DW_FORM_SDATA -> cursor.sleb();
            case DW_FORM_UDATA, DW_FORM_REF_UDATA, DW_FORM_STRX, DW_FORM_ADDRX, DW_FORM_LOCLISTX,
                    DW_FORM_RNGLISTX, DW_FORM_GNU_ADDR_INDEX, DW_FORM_GNU_STR_INDEX -> cursor.uleb();
            case DW_FORM_STRP, DW_FORM_SEC_OFFSET, DW_FORM_LINE_STRP, DW_FORM_STRP_SUP, DW_FORM_GNU_REF_ALT,
                    DW_FORM_GNU_STRP_ALT -> cursor.skip(offsetSize);
            case DW_FORM_REF_ADDR -> cursor.skip(version == 2 ? addressSize : offsetSize);
            case DW_FORM_FLAG_PRESENT -> {
                // No data: presence is the value.
            }
            case DW_FORM_INDIRECT -> skip(cursor, cursor.ulebInt("form"), offsetSize, addressSize, version);
            default -> {
                if (form >= DW_FORM_STRX1 && form <= DW_FORM_STRX4) {
                    cursor.skip(form - DW_FORM_STRX1 + 1);
                } else if (form >= DW_FORM_ADDRX1 && form <= DW_FORM_ADDRX4) {
                    cursor.skip(form - DW_FORM_ADDRX1 + 1);
                } else {
                    throw cursor.error("attribute form 0x" + Integer.toHexString(form) + " is not read here");
                }
            }
        }
    }
}
