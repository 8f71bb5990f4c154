package dev.relib.inspectors.symbols;

/**
 * Address ranges of a DWARF entry: {@code .debug_ranges} (DWARF 2-4: address pairs, a base
 * address selection, a 0/0 end) and {@code .debug_rnglists} (DWARF 5: {@code DW_RLE_*} entries).
 * Ranges come back as a flat array of [start, end) pairs; empty ranges and ranges the linker
 * discarded (starting at 0, or at a tombstone address) are dropped.
 */
final class RangeLists {

    /** must match: DWARF 5, section 7.25 (range list entry encodings) */
    private static final int DW_RLE_END_OF_LIST = 0x00;
    private static final int DW_RLE_BASE_ADDRESSX = 0x01;
    private static final int DW_RLE_STARTX_ENDX = 0x02;
    private static final int DW_RLE_STARTX_LENGTH = 0x03;
    private static final int DW_RLE_OFFSET_PAIR = 0x04;
    private static final int DW_RLE_BASE_ADDRESS = 0x05;
    private static final int DW_RLE_START_END = 0x06;
    private static final int DW_RLE_START_LENGTH = 0x07;
    /** A list longer than this is damage, not a function. */
    private static final int MAX_RANGES = 1 << 16;

    private RangeLists() {
    }

    /** DWARF 2-4: the list at {@code offset} of {@code .debug_ranges}. */
    static long[] legacy(byte[] debugRanges, long offset, long baseAddress, int addressSize) {
        if (debugRanges == null) {
            throw new DwarfFormatException("a range list refers to .debug_ranges, which the object lacks");
        }
        DwarfCursor cursor = new DwarfCursor(debugRanges, ".debug_ranges");
        cursor.seek(offset);
        long maxAddress = addressSize == 8 ? -1L : 0xffff_ffffL;
        long base = baseAddress;
        Pairs pairs = new Pairs();
        while (true) {
            long start = cursor.unsigned(addressSize);
            long end = cursor.unsigned(addressSize);
            if (start == 0 && end == 0) {
                return pairs.toArray();
            }
            if (start == maxAddress) {
                base = end;
            } else {
                pairs.add(base + start, base + end, cursor);
            }
        }
    }

    /** DWARF 5: the list at {@code offset} of {@code .debug_rnglists}. */
    static long[] version5(UnitContext unit, byte[] debugRnglists, long offset) {
        if (debugRnglists == null) {
            throw new DwarfFormatException("a range list refers to .debug_rnglists, which the object lacks");
        }
        DwarfCursor cursor = new DwarfCursor(debugRnglists, ".debug_rnglists");
        cursor.seek(offset);
        int addressSize = unit.header().addressSize();
        long base = unit.baseAddress();
        Pairs pairs = new Pairs();
        while (true) {
            int kind = cursor.u8();
            switch (kind) {
                case DW_RLE_END_OF_LIST -> {
                    return pairs.toArray();
                }
                case DW_RLE_BASE_ADDRESSX -> base = unit.indexedAddress(cursor.uleb());
                case DW_RLE_STARTX_ENDX -> {
                    long start = unit.indexedAddress(cursor.uleb());
                    pairs.add(start, unit.indexedAddress(cursor.uleb()), cursor);
                }
                case DW_RLE_STARTX_LENGTH -> {
                    long start = unit.indexedAddress(cursor.uleb());
                    pairs.add(start, start + cursor.uleb(), cursor);
                }
                case DW_RLE_OFFSET_PAIR -> {
                    long start = cursor.uleb();
                    pairs.add(base + start, base + cursor.uleb(), cursor);
                }
                case DW_RLE_BASE_ADDRESS -> base = cursor.unsigned(addressSize);
                case DW_RLE_START_END -> {
                    long start = cursor.unsigned(addressSize);
                    pairs.add(start, cursor.unsigned(addressSize), cursor);
                }
                case DW_RLE_START_LENGTH -> {
                    long start = cursor.unsigned(addressSize);
                    pairs.add(start, start + cursor.uleb(), cursor);
                }
                default -> throw cursor.error("range list entry kind " + kind + " at offset " + (cursor.position() - 1));
            }
        }
    }

    /** A single [low, high) range, or none when it is empty or discarded. */
    static long[] single(long low, long high) {
        return usable(low, high) ? new long[] {low, high} : new long[0];
    }

    private static boolean usable(long start, long end) {
        // Code the linker dropped keeps its debug info at 0, or at -1/-2 (lld's tombstones).
        return start > 0 && Long.compareUnsigned(start, end) < 0;
    }

    private static final class Pairs {
        private long[] values = new long[8];
        private int size;

        void add(long start, long end, DwarfCursor cursor) {
            if (!usable(start, end)) {
                return;
            }
            if (size / 2 >= MAX_RANGES) {
                throw cursor.error("range list longer than " + MAX_RANGES + " entries");
            }
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = start;
            values[size++] = end;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
