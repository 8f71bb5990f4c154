package dev.relib.inspectors.symbols;

import java.util.List;

/**
 * One unit of {@code .debug_info} with what its root entry says about the rest: the bases that
 * resolve indexed strings, addresses and range lists (DWARF 5), the base address of its range
 * lists, its line table (whose file table {@code DW_AT_call_file} indexes), and its code ranges.
 */
final class UnitContext {

    private final UnitHeader header;
    private final DebugInfoSections sections;
    private final Abbreviations abbreviations;
    private long strOffsetsBase;
    private long addrBase;
    private long rnglistsBase;
    private long gnuRangesBase;
    private long baseAddress;
    private long stmtList = -1;
    private String compDir;
    private long[] ranges = new long[0];
    private List<String> files;

    private UnitContext(UnitHeader header, DebugInfoSections sections, Abbreviations abbreviations) {
        this.header = header;
        this.sections = sections;
        this.abbreviations = abbreviations;
        // The DWARF 5 default when the root names no base: just past the table's header.
        this.strOffsetsBase = header.offsetSize() == 8 ? 16 : 8;
    }

    /** Reads the unit's root entry; a unit whose root cannot be read throws. */
    static UnitContext read(UnitHeader header, DebugInfoSections sections, Abbreviations abbreviations) {
        UnitContext unit = new UnitContext(header, sections, abbreviations);
        unit.readRoot();
        return unit;
    }

    private void readRoot() {
        DwarfCursor cursor = cursor();
        cursor.seek(header.firstDie());
        long code = cursor.uleb();
        if (code == 0) {
            return;
        }
        Abbreviations.Abbreviation root = abbreviations.get(code, cursor);
        AttributeValue value = new AttributeValue();
        AttributeValue low = null;
        AttributeValue high = null;
        AttributeValue rangesValue = null;
        AttributeValue compDirValue = null;
        for (int i = 0; i < root.attributes().length; i++) {
            FormReader.read(cursor, root.forms()[i], header, root.implicitValues()[i], value);
            switch (root.attributes()[i]) {
                case DwarfCodes.DW_AT_LOW_PC -> low = copy(value);
                case DwarfCodes.DW_AT_HIGH_PC -> high = copy(value);
                case DwarfCodes.DW_AT_RANGES -> rangesValue = copy(value);
                case DwarfCodes.DW_AT_STMT_LIST -> stmtList = value.number;
                case DwarfCodes.DW_AT_COMP_DIR -> compDirValue = value.isStringForm() ? copy(value) : null;
                case DwarfCodes.DW_AT_STR_OFFSETS_BASE -> strOffsetsBase = value.number;
                case DwarfCodes.DW_AT_ADDR_BASE, DwarfCodes.DW_AT_GNU_ADDR_BASE -> addrBase = value.number;
                case DwarfCodes.DW_AT_RNGLISTS_BASE -> rnglistsBase = value.number;
                case DwarfCodes.DW_AT_GNU_RANGES_BASE -> gnuRangesBase = value.number;
                default -> {
                    // Not needed for frames.
                }
            }
        }
        // The bases are known only now: the root's own indexed values are resolved after the walk.
        if (compDirValue != null) {
            try {
                compDir = string(compDirValue);
            } catch (DwarfFormatException e) {
                compDir = null; // Files stay relative, as when no directory is recorded.
            }
        }
        if (low != null) {
            baseAddress = address(low);
        }
        if (rangesValue != null) {
            ranges = ranges(rangesValue);
        } else if (low != null && high != null) {
            ranges = RangeLists.single(baseAddress, highPc(baseAddress, high));
        }
    }

    private static AttributeValue copy(AttributeValue value) {
        AttributeValue copy = new AttributeValue();
        copy.kind = value.kind;
        copy.number = value.number;
        copy.text = value.text;
        return copy;
    }

    UnitHeader header() {
        return header;
    }

    Abbreviations abbreviations() {
        return abbreviations;
    }

    /** A cursor over {@code .debug_info} limited to this unit. */
    DwarfCursor cursor() {
        DwarfCursor cursor = new DwarfCursor(sections.info(), ".debug_info");
        cursor.seek(header.offset());
        cursor.limitTo(header.end());
        return cursor;
    }

    /** The offset of the unit's line table in {@code .debug_line}, or -1. */
    long stmtList() {
        return stmtList;
    }

    /** {@code DW_AT_comp_dir}, or null. */
    String compDir() {
        return compDir;
    }

    long baseAddress() {
        return baseAddress;
    }

    /** The code the root entry says the unit covers: [start, end) pairs, possibly none. */
    long[] ranges() {
        return ranges;
    }

    /** The string an attribute names; null when it is not a string form. */
    String string(AttributeValue value) {
        DebugStrings strings = sections.strings();
        return switch (value.kind) {
            case STRING -> value.text;
            case STRING_OFFSET -> strings.strp(value.number);
            case LINE_STRING_OFFSET -> strings.lineStrp(value.number);
            case STRING_INDEX -> strings.strp(offsetAt(sections.strOffsets(), ".debug_str_offsets",
                    strOffsetsBase + value.number * header.offsetSize()));
            default -> null;
        };
    }

    /** An address attribute's value, direct or through {@code .debug_addr}. */
    long address(AttributeValue value) {
        return value.kind == AttributeValue.Kind.ADDRESS_INDEX ? indexedAddress(value.number) : value.number;
    }

    long indexedAddress(long index) {
        byte[] addr = sections.addr();
        if (addr == null) {
            throw new DwarfFormatException("an address refers to .debug_addr, which the object lacks");
        }
        DwarfCursor cursor = new DwarfCursor(addr, ".debug_addr");
        cursor.seek(addrBase + index * header.addressSize());
        return cursor.unsigned(header.addressSize());
    }

    /** {@code DW_AT_high_pc}: an address, or (DWARF 4 and later) a length from {@code low}. */
    long highPc(long low, AttributeValue high) {
        return high.isConstant() ? low + high.number : address(high);
    }

    /** The ranges a {@code DW_AT_ranges} value names. */
    long[] ranges(AttributeValue value) {
        if (header.version() >= 5) {
            long offset = value.kind == AttributeValue.Kind.RANGE_LIST_INDEX
                    ? rnglistsBase + offsetAt(sections.rnglists(), ".debug_rnglists",
                            rnglistsBase + value.number * header.offsetSize())
                    : value.number;
            return RangeLists.version5(this, sections.rnglists(), offset);
        }
        return RangeLists.legacy(sections.ranges(), value.number + gnuRangesBase, baseAddress, header.addressSize());
    }

    /**
     * The unit's file names as {@code DW_AT_call_file} indexes them (from its line table header;
     * index 0 unused before DWARF 5), or an empty list when it has no line table.
     */
    synchronized List<String> files() {
        if (files == null) {
            files = List.of();
            if (stmtList >= 0 && sections.line() != null) {
                DwarfCursor cursor = new DwarfCursor(sections.line(), ".debug_line");
                cursor.seek(stmtList);
                List<String> read = LineProgramHeader.read(cursor, sections.strings(), compDir).files();
                files = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(read));
            }
        }
        return files;
    }

    private long offsetAt(byte[] section, String name, long position) {
        if (section == null) {
            throw new DwarfFormatException("an index refers to " + name + ", which the object lacks");
        }
        DwarfCursor cursor = new DwarfCursor(section, name);
        cursor.seek(position);
        return cursor.unsigned(header.offsetSize());
    }
}
