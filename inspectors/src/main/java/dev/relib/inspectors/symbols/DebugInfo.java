package dev.relib.inspectors.symbols;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code .debug_info} of one object, read lazily: the units' headers and root entries on first
 * use (which code each unit covers), and the scopes of a unit only when an address in it is asked
 * for, then kept. Answers "which functions, inlined into which, hold this address".
 */
final class DebugInfo {

    /** Abstract origins and specifications form chains; longer ones are loops in damaged input. */
    private static final int MAX_NAME_HOPS = 8;

    private record Name(String text, boolean linkage) {
    }

    /** Every readable unit, by offset (references may point into any of them). */
    private final UnitContext[] units;
    private final int[] unitOffsets;
    /** Code ranges of the units: start, end, unit index; sorted by start. */
    private final long[] rangeStarts;
    private final long[] rangeEnds;
    private final long[] rangeEndSoFar;
    private final int[] rangeUnits;
    private final Map<Integer, UnitScopes> scopes = new HashMap<>();
    private final Map<Integer, Name> names = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private DebugInfo(DebugInfoSections sections) {
        List<UnitContext> read = new ArrayList<>();
        Map<Long, Abbreviations> tables = new HashMap<>();
        int offset = 0;
        while (offset < sections.info().length) {
            UnitHeader header;
            try {
                header = UnitHeader.read(sections.info(), offset);
            } catch (DwarfFormatException e) {
                problems.add(e.getMessage() + "; the rest of .debug_info is not read");
                break;
            }
            try {
                Abbreviations abbreviations = tables.computeIfAbsent(header.abbrevOffset(),
                        at -> Abbreviations.read(sections.abbrev(), at));
                read.add(UnitContext.read(header, sections, abbreviations));
            } catch (DwarfFormatException e) {
                problems.add("unit at offset " + offset + ": " + e.getMessage());
            }
            offset = header.end();
        }
        units = read.toArray(UnitContext[]::new);
        unitOffsets = new int[units.length];
        List<long[]> ranges = new ArrayList<>();
        for (int u = 0; u < units.length; u++) {
            unitOffsets[u] = units[u].header().offset();
            if (units[u].header().describesCode()) {
                long[] covered = units[u].ranges();
                for (int r = 0; r < covered.length; r += 2) {
                    ranges.add(new long[] {covered[r], covered[r + 1], u});
                }
            }
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        rangeStarts = new long[ranges.size()];
        rangeEnds = new long[ranges.size()];
        rangeEndSoFar = new long[ranges.size()];
        rangeUnits = new int[ranges.size()];
        long highest = Long.MIN_VALUE;
        for (int i = 0; i < ranges.size(); i++) {
            rangeStarts[i] = ranges.get(i)[0];
            rangeEnds[i] = ranges.get(i)[1];
            rangeUnits[i] = (int) ranges.get(i)[2];
            highest = Math.max(highest, rangeEnds[i]);
            rangeEndSoFar[i] = highest;
        }
    }

    /** Reads the units' headers and root entries; damaged units are left out and listed in {@link #problems()}. */
    static DebugInfo read(DebugInfoSections sections) {
        return new DebugInfo(sections);
    }

    /** Units that could not be read, one message each. */
    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * Each unit's {@code DW_AT_comp_dir}, keyed by its line table's offset ({@code DW_AT_stmt_list}):
     * DWARF 2-4 line tables name files relative to it, and only {@code .debug_info} records it.
     */
    Map<Long, String> compilationDirectories() {
        Map<Long, String> directories = new HashMap<>();
        for (UnitContext unit : units) {
            if (unit.stmtList() >= 0 && unit.compDir() != null) {
                directories.put(unit.stmtList(), unit.compDir());
            }
        }
        return directories;
    }

    int unitCount() {
        return units.length;
    }

    /** How many units have had their scopes read so far (the rest cost nothing yet). */
    synchronized int unitsParsed() {
        return scopes.size();
    }

    /**
     * The scopes holding {@code address} (the object's own virtual address), innermost first: the
     * functions inlined there, then the function they were inlined into. Empty when no unit
     * describes the address's code.
     */
    synchronized List<InlineScope> scopesAt(long address) {
        for (int u : unitsAt(address)) {
            UnitScopes unit = scopesOf(u);
            int[] chain = unit.chain(address);
            if (chain.length == 0) {
                continue;
            }
            List<InlineScope> levels = new ArrayList<>(chain.length);
            List<String> files = files(unit.unit());
            for (int scope : chain) {
                Name name = nameAt(unit.dieOffset(scope));
                boolean inlined = unit.isInlined(scope);
                String file = null;
                if (inlined) {
                    int index = unit.callFile(scope);
                    file = index >= 0 && index < files.size() ? files.get(index) : null;
                }
                levels.add(new InlineScope(name == null ? null : name.text(), name != null && name.linkage(), inlined,
                        file, inlined ? unit.callLine(scope) : 0, inlined ? unit.callColumn(scope) : 0));
            }
            return levels;
        }
        return List.of();
    }

    private int[] unitsAt(long address) {
        int high = LineTable.lastAtOrBelow(rangeStarts, 0, rangeStarts.length, address);
        int[] found = new int[4];
        int count = 0;
        for (int i = high; i >= 0 && rangeEndSoFar[i] > address; i--) {
            if (address < rangeEnds[i] && !contains(found, count, rangeUnits[i])) {
                if (count == found.length) {
                    found = Arrays.copyOf(found, count * 2);
                }
                found[count++] = rangeUnits[i];
            }
        }
        return Arrays.copyOf(found, count);
    }

    private static boolean contains(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    private UnitScopes scopesOf(int unit) {
        UnitScopes read = scopes.get(unit);
        if (read == null) {
            try {
                read = UnitScopes.read(units[unit]);
            } catch (DwarfFormatException e) {
                problems.add("unit at offset " + unitOffsets[unit] + ": " + e.getMessage());
                read = UnitScopes.empty(units[unit]);
            }
            scopes.put(unit, read);
        }
        return read;
    }

    private List<String> files(UnitContext unit) {
        try {
            return unit.files();
        } catch (DwarfFormatException e) {
            return List.of();
        }
    }

    private Name nameAt(int dieOffset) {
        if (names.containsKey(dieOffset)) {
            return names.get(dieOffset);
        }
        Name name;
        try {
            name = resolveName(dieOffset, 0);
        } catch (DwarfFormatException e) {
            name = null;
        }
        names.put(dieOffset, name);
        return name;
    }

    /** A linkage name anywhere along the origin/specification chain wins over plain names, as in addr2line. */
    private Name resolveName(long dieOffset, int hops) {
        UnitContext unit = unitHolding(dieOffset);
        if (unit == null) {
            return null;
        }
        DwarfCursor cursor = unit.cursor();
        cursor.seek(dieOffset);
        long code = cursor.uleb();
        if (code == 0) {
            return null;
        }
        Abbreviations.Abbreviation entry = unit.abbreviations().get(code, cursor);
        AttributeValue value = new AttributeValue();
        String plain = null;
        String linkage = null;
        long next = -1;
        for (int i = 0; i < entry.attributes().length; i++) {
            int attribute = entry.attributes()[i];
            FormReader.read(cursor, entry.forms()[i], unit.header(), entry.implicitValues()[i], value);
            switch (attribute) {
                case DwarfCodes.DW_AT_NAME -> plain = unit.string(value);
                case DwarfCodes.DW_AT_LINKAGE_NAME, DwarfCodes.DW_AT_MIPS_LINKAGE_NAME -> linkage = unit.string(value);
                case DwarfCodes.DW_AT_ABSTRACT_ORIGIN, DwarfCodes.DW_AT_SPECIFICATION -> {
                    if (value.kind == AttributeValue.Kind.REFERENCE) {
                        next = value.number;
                    }
                }
                default -> {
                    // Other attributes say nothing about the name.
                }
            }
        }
        if (linkage != null) {
            return new Name(linkage, true);
        }
        Name further = next >= 0 && next != dieOffset && hops < MAX_NAME_HOPS ? resolveName(next, hops + 1) : null;
        if (further != null && further.linkage()) {
            return further;
        }
        return plain != null ? new Name(plain, false) : further;
    }

    private UnitContext unitHolding(long offset) {
        int index = Arrays.binarySearch(unitOffsets, (int) Math.min(offset, Integer.MAX_VALUE));
        int unit = index >= 0 ? index : -index - 2;
        if (unit < 0 || offset >= units[unit].header().end()) {
            return null;
        }
        return units[unit];
    }
}
