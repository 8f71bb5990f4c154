package dev.relib.inspectors.symbols;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Growable columns of line rows and sequences, with a mark to drop a unit that fails half-way. */
final class LineRowBuilder {

    long[] addresses = new long[1024];
    int[] files = new int[1024];
    int[] lines = new int[1024];
    int[] columns = new int[1024];
    int rowCount;
    int[] sequenceFirst = new int[64];
    int[] sequenceLast = new int[64];
    int sequenceCount;
    final List<String> fileNames = new ArrayList<>();

    private int sequenceStart;
    private int unitFileBase;
    private int markedRows;
    private int markedSequences;
    private int markedFiles;

    void mark() {
        markedRows = rowCount;
        markedSequences = sequenceCount;
        markedFiles = fileNames.size();
        sequenceStart = rowCount;
    }

    void rollback() {
        rowCount = markedRows;
        sequenceCount = markedSequences;
        fileNames.subList(markedFiles, fileNames.size()).clear();
        sequenceStart = rowCount;
    }

    /** Starts a unit whose file register values index {@code unitFiles}. */
    void beginUnit(List<String> unitFiles) {
        unitFileBase = fileNames.size();
        fileNames.addAll(unitFiles);
    }

    /** A file added by {@code DW_LNE_define_file}; it takes the next index of the current unit. */
    void defineFile(String path) {
        fileNames.add(path);
    }

    /** The row's file id, or -1 when the unit defines no such file. */
    int fileId(long fileRegister) {
        long id = unitFileBase + fileRegister;
        if (fileRegister < 0 || id >= fileNames.size() || fileNames.get((int) id) == null) {
            return -1;
        }
        return (int) id;
    }

    void addRow(long address, int fileId, int line, int column) {
        if (rowCount == addresses.length) {
            int capacity = rowCount * 2;
            addresses = Arrays.copyOf(addresses, capacity);
            files = Arrays.copyOf(files, capacity);
            lines = Arrays.copyOf(lines, capacity);
            columns = Arrays.copyOf(columns, capacity);
        }
        addresses[rowCount] = address;
        files[rowCount] = fileId;
        lines[rowCount] = line;
        columns[rowCount] = column;
        rowCount++;
    }

    /**
     * Closes the sequence whose last row (the end_sequence row) was just added. Sequences the
     * linker discarded (tombstone addresses at the top of the address space, or empty ones) are
     * dropped; addresses going backwards make the unit unreadable.
     */
    void endSequence(DwarfCursor cursor) {
        int first = sequenceStart;
        int last = rowCount - 1;
        sequenceStart = rowCount;
        for (int r = first; r < last; r++) {
            if (Long.compareUnsigned(addresses[r], addresses[r + 1]) > 0) {
                throw cursor.error("addresses go backwards inside a sequence at 0x" + Long.toHexString(addresses[r]));
            }
        }
        if (addresses[first] < 0 || addresses[last] < 0 || addresses[first] == addresses[last]) {
            rowCount = first;
            sequenceStart = first;
            return;
        }
        if (sequenceCount == sequenceFirst.length) {
            sequenceFirst = Arrays.copyOf(sequenceFirst, sequenceCount * 2);
            sequenceLast = Arrays.copyOf(sequenceLast, sequenceCount * 2);
        }
        sequenceFirst[sequenceCount] = first;
        sequenceLast[sequenceCount] = last;
        sequenceCount++;
    }

    /** Whether rows were added since the last end_sequence. */
    boolean hasOpenSequence() {
        return rowCount > sequenceStart;
    }

    long sequenceLow(int sequence) {
        return addresses[sequenceFirst[sequence]];
    }
}
