package dev.relib.inspectors.symbols;

import java.util.Arrays;

/**
 * The code scopes of one unit: each {@code DW_TAG_subprogram} with code (a root) and each
 * {@code DW_TAG_inlined_subroutine} (a child of the scope it was inlined into, through any lexical
 * blocks between them), with their address ranges and call sites. Read in one pass over the unit;
 * entries that are not scopes are skipped by form, and names are left to be resolved on demand.
 */
final class UnitScopes {

    /** Deeper nesting than this is damage (real code nests inlined calls a few dozen deep at most). */
    private static final int MAX_DEPTH = 1 << 12;

    private final UnitContext unit;
    private int count;
    private int[] die = new int[64];
    private int[] parent = new int[64];
    private int[] callFile = new int[64];
    private int[] callLine = new int[64];
    private int[] callColumn = new int[64];
    private int[] rangeStart = new int[64];
    private int[] rangeCount = new int[64];
    private long[] rangePool = new long[128];
    private int poolSize;
    private int[] firstChild;
    private int[] nextSibling;
    /** Root ranges sorted by start: start, end, scope; and the greatest end so far. */
    private long[] rootStarts;
    private long[] rootEnds;
    private long[] rootEndSoFar;
    private int[] rootScopes;

    private UnitScopes(UnitContext unit) {
        this.unit = unit;
    }

    static UnitScopes read(UnitContext unit) {
        UnitScopes scopes = new UnitScopes(unit);
        scopes.walk();
        scopes.link();
        return scopes;
    }

    /** A unit whose entries could not be read: it holds no scope. */
    static UnitScopes empty(UnitContext unit) {
        UnitScopes scopes = new UnitScopes(unit);
        scopes.count = 0;
        scopes.link();
        return scopes;
    }

    UnitContext unit() {
        return unit;
    }

    int size() {
        return count;
    }

    /** The {@code .debug_info} offset of the scope's entry. */
    int dieOffset(int scope) {
        return die[scope];
    }

    boolean isInlined(int scope) {
        return parent[scope] >= 0;
    }

    int callFile(int scope) {
        return callFile[scope];
    }

    int callLine(int scope) {
        return callLine[scope];
    }

    int callColumn(int scope) {
        return callColumn[scope];
    }

    /**
     * The scopes holding {@code address}, innermost first: inlined calls, then the subprogram they
     * were inlined into. Empty when no subprogram of the unit covers it.
     */
    int[] chain(long address) {
        int root = rootAt(address);
        if (root < 0) {
            return new int[0];
        }
        int[] path = new int[8];
        int length = 0;
        int scope = root;
        while (scope >= 0) {
            if (length == path.length) {
                path = Arrays.copyOf(path, length * 2);
            }
            path[length++] = scope;
            int next = -1;
            for (int child = firstChild[scope]; child >= 0; child = nextSibling[child]) {
                if (contains(child, address)) {
                    next = child;
                    break;
                }
            }
            scope = next;
        }
        int[] innermostFirst = new int[length];
        for (int i = 0; i < length; i++) {
            innermostFirst[i] = path[length - 1 - i];
        }
        return innermostFirst;
    }

    private int rootAt(long address) {
        int high = LineTable.lastAtOrBelow(rootStarts, 0, rootStarts.length, address);
        for (int i = high; i >= 0 && rootEndSoFar[i] > address; i--) {
            if (address < rootEnds[i]) {
                return rootScopes[i];
            }
        }
        return -1;
    }

    private boolean contains(int scope, long address) {
        int first = rangeStart[scope];
        for (int r = first; r < first + 2 * rangeCount[scope]; r += 2) {
            if (address >= rangePool[r] && address < rangePool[r + 1]) {
                return true;
            }
        }
        return false;
    }

    private void walk() {
        UnitHeader header = unit.header();
        Abbreviations abbreviations = unit.abbreviations();
        DwarfCursor cursor = unit.cursor();
        cursor.seek(header.firstDie());
        AttributeValue value = new AttributeValue();
        AttributeValue low = new AttributeValue();
        AttributeValue high = new AttributeValue();
        AttributeValue ranges = new AttributeValue();
        int[] enclosing = new int[64];
        int depth = 0;
        enclosing[0] = -1;
        while (cursor.hasRemaining()) {
            int offset = cursor.position();
            long code = cursor.uleb();
            if (code == 0) {
                if (--depth <= 0) {
                    return;
                }
                continue;
            }
            Abbreviations.Abbreviation entry = abbreviations.get(code, cursor);
            int tag = entry.tag();
            int scope = -1;
            if (tag == DwarfCodes.DW_TAG_SUBPROGRAM || tag == DwarfCodes.DW_TAG_INLINED_SUBROUTINE) {
                low.kind = AttributeValue.Kind.NONE;
                high.kind = AttributeValue.Kind.NONE;
                ranges.kind = AttributeValue.Kind.NONE;
                int file = 0;
                int line = 0;
                int column = 0;
                for (int i = 0; i < entry.attributes().length; i++) {
                    switch (entry.attributes()[i]) {
                        case DwarfCodes.DW_AT_LOW_PC -> FormReader.read(cursor, entry.forms()[i], header, entry.implicitValues()[i], low);
                        case DwarfCodes.DW_AT_HIGH_PC -> FormReader.read(cursor, entry.forms()[i], header, entry.implicitValues()[i], high);
                        case DwarfCodes.DW_AT_RANGES -> FormReader.read(cursor, entry.forms()[i], header, entry.implicitValues()[i], ranges);
                        case DwarfCodes.DW_AT_CALL_FILE, DwarfCodes.DW_AT_CALL_LINE, DwarfCodes.DW_AT_CALL_COLUMN -> {
                            FormReader.read(cursor, entry.forms()[i], header, entry.implicitValues()[i], value);
                            int number = value.isConstant() ? (int) Math.min(Integer.MAX_VALUE, Math.max(0, value.number)) : 0;
                            switch (entry.attributes()[i]) {
                                case DwarfCodes.DW_AT_CALL_FILE -> file = number;
                                case DwarfCodes.DW_AT_CALL_LINE -> line = number;
                                default -> column = number;
                            }
                        }
                        default -> FormReader.skip(cursor, entry.forms()[i], header);
                    }
                }
                long[] covered = codeRanges(low, high, ranges);
                if (covered.length > 0) {
                    boolean inlined = tag == DwarfCodes.DW_TAG_INLINED_SUBROUTINE && enclosing[depth] >= 0;
                    scope = add(offset, inlined ? enclosing[depth] : -1, file, line, column, covered);
                }
            } else {
                for (int i = 0; i < entry.forms().length; i++) {
                    FormReader.skip(cursor, entry.forms()[i], header);
                }
            }
            if (entry.hasChildren()) {
                if (++depth >= MAX_DEPTH) {
                    throw cursor.error("entries nest deeper than " + MAX_DEPTH);
                }
                if (depth == enclosing.length) {
                    enclosing = Arrays.copyOf(enclosing, depth * 2);
                }
                // A subprogram without code (a declaration, an abstract instance) encloses no code.
                enclosing[depth] = scope >= 0 ? scope
                        : tag == DwarfCodes.DW_TAG_SUBPROGRAM ? -1 : enclosing[depth - 1];
            }
        }
    }

    private long[] codeRanges(AttributeValue low, AttributeValue high, AttributeValue ranges) {
        if (ranges.kind != AttributeValue.Kind.NONE) {
            return unit.ranges(ranges);
        }
        if (low.kind == AttributeValue.Kind.NONE || high.kind == AttributeValue.Kind.NONE) {
            return new long[0];
        }
        long start = unit.address(low);
        return RangeLists.single(start, unit.highPc(start, high));
    }

    private int add(int offset, int parentScope, int file, int line, int column, long[] ranges) {
        if (count == die.length) {
            int capacity = count * 2;
            die = Arrays.copyOf(die, capacity);
            parent = Arrays.copyOf(parent, capacity);
            callFile = Arrays.copyOf(callFile, capacity);
            callLine = Arrays.copyOf(callLine, capacity);
            callColumn = Arrays.copyOf(callColumn, capacity);
            rangeStart = Arrays.copyOf(rangeStart, capacity);
            rangeCount = Arrays.copyOf(rangeCount, capacity);
        }
        if (poolSize + ranges.length > rangePool.length) {
            rangePool = Arrays.copyOf(rangePool, Math.max(rangePool.length * 2, poolSize + ranges.length));
        }
        System.arraycopy(ranges, 0, rangePool, poolSize, ranges.length);
        die[count] = offset;
        parent[count] = parentScope;
        callFile[count] = file;
        callLine[count] = line;
        callColumn[count] = column;
        rangeStart[count] = poolSize;
        rangeCount[count] = ranges.length / 2;
        poolSize += ranges.length;
        return count++;
    }

    /** Children lists (in entry order) and the sorted index of root ranges. */
    private void link() {
        firstChild = new int[count];
        nextSibling = new int[count];
        Arrays.fill(firstChild, -1);
        Arrays.fill(nextSibling, -1);
        int roots = 0;
        for (int s = count - 1; s >= 0; s--) {
            if (parent[s] >= 0) {
                nextSibling[s] = firstChild[parent[s]];
                firstChild[parent[s]] = s;
            } else {
                roots += rangeCount[s];
            }
        }
        long[][] entries = new long[roots][];
        int n = 0;
        for (int s = 0; s < count; s++) {
            if (parent[s] < 0) {
                for (int r = rangeStart[s]; r < rangeStart[s] + 2 * rangeCount[s]; r += 2) {
                    entries[n++] = new long[] {rangePool[r], rangePool[r + 1], s};
                }
            }
        }
        Arrays.sort(entries, (a, b) -> Long.compare(a[0], b[0]));
        rootStarts = new long[roots];
        rootEnds = new long[roots];
        rootEndSoFar = new long[roots];
        rootScopes = new int[roots];
        long highest = Long.MIN_VALUE;
        for (int i = 0; i < roots; i++) {
            rootStarts[i] = entries[i][0];
            rootEnds[i] = entries[i][1];
            rootScopes[i] = (int) entries[i][2];
            highest = Math.max(highest, rootEnds[i]);
            rootEndSoFar[i] = highest;
        }
    }
}
