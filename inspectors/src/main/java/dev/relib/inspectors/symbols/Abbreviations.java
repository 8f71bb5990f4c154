package dev.relib.inspectors.symbols;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One abbreviation table of {@code .debug_abbrev}: how each entry of a unit is laid out. */
final class Abbreviations {

    /**
     * @param attributes     attribute codes, in order
     * @param forms          their forms
     * @param implicitValues the values of {@code DW_FORM_implicit_const} attributes (0 for others)
     */
    record Abbreviation(long code, int tag, boolean hasChildren, int[] attributes, int[] forms, long[] implicitValues) {
    }

    /** Codes are usually 1..n: those sit in an array, others in a map. */
    private final Abbreviation[] dense;
    private final Map<Long, Abbreviation> sparse;

    private Abbreviations(Abbreviation[] dense, Map<Long, Abbreviation> sparse) {
        this.dense = dense;
        this.sparse = sparse;
    }

    static Abbreviations read(byte[] debugAbbrev, long offset) {
        DwarfCursor cursor = new DwarfCursor(debugAbbrev, ".debug_abbrev");
        cursor.seek(offset);
        List<Abbreviation> all = new ArrayList<>();
        while (true) {
            long code = cursor.uleb();
            if (code == 0) {
                break;
            }
            int tag = cursor.ulebInt("tag");
            boolean children = cursor.u8() != 0;
            List<int[]> specs = new ArrayList<>();
            List<Long> implicit = new ArrayList<>();
            while (true) {
                int attribute = cursor.ulebInt("attribute");
                int form = cursor.ulebInt("form");
                if (attribute == 0 && form == 0) {
                    break;
                }
                specs.add(new int[] {attribute, form});
                implicit.add(form == DwarfForm.IMPLICIT_CONST ? cursor.sleb() : 0L);
            }
            int[] attributes = new int[specs.size()];
            int[] forms = new int[specs.size()];
            long[] values = new long[specs.size()];
            for (int i = 0; i < attributes.length; i++) {
                attributes[i] = specs.get(i)[0];
                forms[i] = specs.get(i)[1];
                values[i] = implicit.get(i);
            }
            all.add(new Abbreviation(code, tag, children, attributes, forms, values));
        }
        int max = 0;
        for (Abbreviation a : all) {
            if (a.code() > 0 && a.code() <= 65_536) {
                max = Math.max(max, (int) a.code());
            }
        }
        Abbreviation[] dense = new Abbreviation[max + 1];
        Map<Long, Abbreviation> sparse = new HashMap<>();
        for (Abbreviation a : all) {
            if (a.code() > 0 && a.code() <= max) {
                dense[(int) a.code()] = a;
            } else {
                sparse.put(a.code(), a);
            }
        }
        return new Abbreviations(dense, sparse);
    }

    /** The abbreviation for {@code code}; throws when the table has none. */
    Abbreviation get(long code, DwarfCursor at) {
        Abbreviation found = code > 0 && code < dense.length ? dense[(int) code] : sparse.get(code);
        if (found == null) {
            throw at.error("abbreviation " + code + " is not in its table");
        }
        return found;
    }
}
