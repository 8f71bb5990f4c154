package dev.relib.inspectors.symbols;

/**
 * The tags, attributes and unit types of {@code .debug_info} read here. must match: DWARF 5,
 * sections 7.5.1 (unit types), 7.5.3 (tags) and 7.5.4 (attributes), plus the GNU extensions named.
 */
final class DwarfCodes {

    static final int DW_UT_COMPILE = 0x01;
    static final int DW_UT_TYPE = 0x02;
    static final int DW_UT_PARTIAL = 0x03;
    static final int DW_UT_SKELETON = 0x04;
    static final int DW_UT_SPLIT_COMPILE = 0x05;
    static final int DW_UT_SPLIT_TYPE = 0x06;

    static final int DW_TAG_INLINED_SUBROUTINE = 0x1d;
    static final int DW_TAG_SUBPROGRAM = 0x2e;

    static final int DW_AT_NAME = 0x03;
    static final int DW_AT_STMT_LIST = 0x10;
    static final int DW_AT_LOW_PC = 0x11;
    static final int DW_AT_HIGH_PC = 0x12;
    static final int DW_AT_COMP_DIR = 0x1b;
    static final int DW_AT_ABSTRACT_ORIGIN = 0x31;
    static final int DW_AT_SPECIFICATION = 0x47;
    static final int DW_AT_RANGES = 0x55;
    static final int DW_AT_CALL_COLUMN = 0x57;
    static final int DW_AT_CALL_FILE = 0x58;
    static final int DW_AT_CALL_LINE = 0x59;
    static final int DW_AT_LINKAGE_NAME = 0x6e;
    static final int DW_AT_STR_OFFSETS_BASE = 0x72;
    static final int DW_AT_ADDR_BASE = 0x73;
    static final int DW_AT_RNGLISTS_BASE = 0x74;
    static final int DW_AT_MIPS_LINKAGE_NAME = 0x2007;
    static final int DW_AT_GNU_RANGES_BASE = 0x2132;
    static final int DW_AT_GNU_ADDR_BASE = 0x2133;

    private DwarfCodes() {
    }
}
