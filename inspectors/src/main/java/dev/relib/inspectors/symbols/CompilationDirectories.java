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
            if (form == DwarfForm.IMPLICIT_CONST) {
                abbrev.sleb();
                continue;
            }
            boolean offsetForm = form == DwarfForm.SEC_OFFSET || form == DwarfForm.DATA4 || form == DwarfForm.DATA8;
            boolean stringForm = form == DwarfForm.STRING || form == DwarfForm.STRP || form == DwarfForm.LINE_STRP;
            if (attribute == DW_AT_STMT_LIST && offsetForm) {
                stmtList = cursor.unsigned(form == DwarfForm.SEC_OFFSET ? offsetSize : form == DwarfForm.DATA4 ? 4 : 8);
            } else if (attribute == DW_AT_COMP_DIR && stringForm) {
                compDir = switch (form) {
                    case DwarfForm.STRING -> cursor.cstring();
                    case DwarfForm.STRP -> strings.strp(cursor.unsigned(offsetSize));
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
                if (form == DwarfForm.IMPLICIT_CONST) {
                    abbrev.sleb();
                }
            }
        }
    }

    private static void skip(DwarfCursor cursor, int form, int offsetSize, int addressSize, int version) {
        switch (form) {
            case DwarfForm.ADDR -> cursor.skip(addressSize);
            case DwarfForm.BLOCK2 -> cursor.skip(cursor.u16());
            case DwarfForm.BLOCK4 -> cursor.skip(cursor.u32());
            case DwarfForm.DATA2, DwarfForm.REF2 -> cursor.skip(2);
            case DwarfForm.DATA4, DwarfForm.REF4, DwarfForm.REF_SUP4 -> cursor.skip(4);
            case DwarfForm.DATA8, DwarfForm.REF8, DwarfForm.REF_SIG8, DwarfForm.REF_SUP8 -> cursor.skip(8);
            case DwarfForm.DATA16 -> cursor.skip(16);
            case DwarfForm.STRING -> cursor.cstring();
            case DwarfForm.BLOCK, DwarfForm.EXPRLOC -> cursor.skip(cursor.uleb());
            case DwarfForm.BLOCK1 -> cursor.skip(cursor.u8());
            case DwarfForm.DATA1, DwarfForm.REF1, DwarfForm.FLAG -> cursor.skip(1);
            case DwarfForm.SDATA -> cursor.sleb();
            case DwarfForm.UDATA, DwarfForm.REF_UDATA, DwarfForm.STRX, DwarfForm.ADDRX, DwarfForm.LOCLISTX,
                    DwarfForm.RNGLISTX, DwarfForm.GNU_ADDR_INDEX, DwarfForm.GNU_STR_INDEX -> cursor.uleb();
            case DwarfForm.STRP, DwarfForm.SEC_OFFSET, DwarfForm.LINE_STRP, DwarfForm.STRP_SUP, DwarfForm.GNU_REF_ALT,
                    DwarfForm.GNU_STRP_ALT -> cursor.skip(offsetSize);
            case DwarfForm.REF_ADDR -> cursor.skip(version == 2 ? addressSize : offsetSize);
            case DwarfForm.FLAG_PRESENT -> {
                // No data: presence is the value.
            }
            case DwarfForm.INDIRECT -> skip(cursor, cursor.ulebInt("form"), offsetSize, addressSize, version);
            default -> {
                if (form >= DwarfForm.STRX1 && form <= DwarfForm.STRX4) {
                    cursor.skip(form - DwarfForm.STRX1 + 1);
                } else if (form >= DwarfForm.ADDRX1 && form <= DwarfForm.ADDRX4) {
                    cursor.skip(form - DwarfForm.ADDRX1 + 1);
                } else {
                    throw cursor.error("attribute form 0x" + Integer.toHexString(form) + " is not read here");
                }
            }
        }
    }
}
