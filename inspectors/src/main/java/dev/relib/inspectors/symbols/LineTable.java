package dev.relib.inspectors.symbols;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rows of a {@code .debug_line} section (DWARF 2 to 5, 32- and 64-bit DWARF), grouped in
 * sequences and sorted for lookup by address. A unit that cannot be read contributes no rows and
 * is listed in {@link #problems()}; its neighbours are still read.
 */
public final class LineTable {

    private static final LineTable EMPTY = new LineTable(new LineRowBuilder(), List.of(), 0);

    private final long[] addresses;
    private final int[] files;
    private final int[] lines;
    private final int[] columns;
    /** Sequences sorted by low address: first row index, end_sequence row index, low, high. */
    private final int[] sequenceFirst;
    private final int[] sequenceLast;
    private final long[] sequenceLow;
    private final long[] sequenceHigh;
    /** The greatest high address among sequences 0..i, so a backward scan knows when to stop. */
    private final long[] sequenceHighSoFar;
    private final List<String> fileNames;
    private final List<String> problems;
    private final int unitCount;

    private LineTable(LineRowBuilder rows, List<String> problems, int unitCount) {
        this.addresses = Arrays.copyOf(rows.addresses, rows.rowCount);
        this.files = Arrays.copyOf(rows.files, rows.rowCount);
        this.lines = Arrays.copyOf(rows.lines, rows.rowCount);
        this.columns = Arrays.copyOf(rows.columns, rows.rowCount);
        this.fileNames = List.copyOf(rows.fileNames.stream().map(f -> f == null ? "" : f).toList());
        this.problems = List.copyOf(problems);
        this.unitCount = unitCount;
        Integer[] order = new Integer[rows.sequenceCount];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(rows.sequenceLow(a), rows.sequenceLow(b)));
        sequenceFirst = new int[order.length];
        sequenceLast = new int[order.length];
        sequenceLow = new long[order.length];
        sequenceHigh = new long[order.length];
        sequenceHighSoFar = new long[order.length];
        long highest = Long.MIN_VALUE;
        for (int i = 0; i < order.length; i++) {
            int s = order[i];
            sequenceFirst[i] = rows.sequenceFirst[s];
            sequenceLast[i] = rows.sequenceLast[s];
            sequenceLow[i] = rows.sequenceLow(s);
            sequenceHigh[i] = addresses[rows.sequenceLast[s]];
            highest = Math.max(highest, sequenceHigh[i]);
            sequenceHighSoFar[i] = highest;
        }
    }

    /** A table with no rows, for objects without {@code .debug_line}. */
    public static LineTable empty() {
        return EMPTY;
    }

    /**
     * Reads a whole {@code .debug_line} section.
     *
     * @param lineStrings            {@code .debug_line_str}, or null
     * @param strings                {@code .debug_str}, or null
     * @param compilationDirectories {@code DW_AT_comp_dir} by {@code DW_AT_stmt_list} offset; DWARF
     *                               2-4 tables name files relative to it
     */
    public static LineTable parse(byte[] debugLine, byte[] lineStrings, byte[] strings,
            Map<Long, String> compilationDirectories) {
        DebugStrings debugStrings = new DebugStrings(strings, lineStrings);
        LineRowBuilder rows = new LineRowBuilder();
        List<String> problems = new ArrayList<>();
        DwarfCursor cursor = new DwarfCursor(debugLine, ".debug_line");
        int units = 0;
        while (cursor.hasRemaining()) {
            int unitStart = cursor.position();
            long unitEnd;
            try {
                unitEnd = unitEnd(debugLine, unitStart);
            } catch (DwarfFormatException e) {
                problems.add("unit at offset " + unitStart + ": " + e.getMessage() + "; the rest of the section is not read");
                break;
            }
            units++;
            rows.mark();
            try {
                LineProgramHeader header = LineProgramHeader.read(cursor, debugStrings,
                        compilationDirectories.get((long) unitStart));
                new LineProgram(header, cursor, rows).run();
            } catch (DwarfFormatException e) {
                rows.rollback();
                problems.add("unit at offset " + unitStart + ": " + e.getMessage());
            }
            cursor.resetLimit();
            cursor.seek(unitEnd);
        }
        return new LineTable(rows, problems, units);
    }

    /** The offset just past the unit starting at {@code start}, from its length field. */
    private static long unitEnd(byte[] debugLine, int start) {
        DwarfCursor cursor = new DwarfCursor(debugLine, ".debug_line");
        cursor.seek(start);
        long length = cursor.u32();
        if (length == 0xffff_ffffL) {
            length = cursor.u64();
        } else if (length >= 0xffff_fff0L) {
            throw cursor.error("reserved unit length 0x" + Long.toHexString(length));
        }
        long end = cursor.position() + length;
        if (length < 0 || end > debugLine.length || end < cursor.position()) {
            throw cursor.error("unit length " + Long.toUnsignedString(length) + " runs past the section");
        }
        return end;
    }

    /**
     * The source location of the instruction at {@code address} (an address in the object's own
     * virtual address space). When several rows share an address the last one applies, as in
     * addr2line. Empty when no sequence covers the address or its row names no valid file.
     */
    public Optional<SourceLocation> lookup(long address) {
        int row = rowFor(address);
        if (row < 0 || files[row] < 0) {
            return Optional.empty();
        }
        return Optional.of(new SourceLocation(fileNames.get(files[row]), lines[row], columns[row]));
    }

    private int rowFor(long address) {
        int candidate = lastAtOrBelow(sequenceLow, 0, sequenceLow.length, address);
        // Sequences can overlap (code removed by the linker keeps its rows at a tombstone
        // address); the one that starts latest wins.
        for (int s = candidate; s >= 0 && sequenceHighSoFar[s] > address; s--) {
            if (address < sequenceHigh[s]) {
                return lastAtOrBelow(addresses, sequenceFirst[s], sequenceLast[s], address);
            }
        }
        return -1;
    }

    /**
     * The last index in {@code [from, to)} whose value is at most {@code key}, or {@code from - 1}:
     * the search every sorted address index of this package starts with.
     */
    static int lastAtOrBelow(long[] sorted, int from, int to, long key) {
        int low = from;
        int high = to - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] <= key) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return high;
    }

    /** Every sequence, sorted by start address, each ending with its end_sequence row. */
    public List<List<LineRow>> sequences() {
        List<List<LineRow>> sequences = new ArrayList<>(sequenceFirst.length);
        for (int s = 0; s < sequenceFirst.length; s++) {
            List<LineRow> rows = new ArrayList<>(sequenceLast[s] - sequenceFirst[s] + 1);
            for (int r = sequenceFirst[s]; r <= sequenceLast[s]; r++) {
                rows.add(new LineRow(addresses[r], files[r], lines[r], columns[r], r == sequenceLast[s]));
            }
            sequences.add(List.copyOf(rows));
        }
        return List.copyOf(sequences);
    }

    /** File paths of every unit, indexed by {@link LineRow#file()}. */
    public List<String> files() {
        return fileNames;
    }

    public int rowCount() {
        return addresses.length;
    }

    /** How many units the section holds, including unreadable ones. */
    public int unitCount() {
        return unitCount;
    }

    /** One message per unit that could not be read (its rows are left out). */
    public List<String> problems() {
        return problems;
    }

    public boolean isEmpty() {
        return addresses.length == 0;
    }
}
