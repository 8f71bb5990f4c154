package dev.relib.inspectors.symbols;

/**
 * One attribute's value as its form encodes it, before the unit's bases resolve indices. Reused
 * for every attribute of a walk, so reading a unit allocates nothing per attribute.
 */
final class AttributeValue {

    /** The value's class, from its form. */
    enum Kind {
        /** Skipped: a block, an expression, or a form whose value is not used here. */
        NONE,
        CONSTANT,
        ADDRESS,
        /** An index into {@code .debug_addr}. */
        ADDRESS_INDEX,
        /** An offset into {@code .debug_info}, already made absolute for unit-relative forms. */
        REFERENCE,
        /** A section offset ({@code DW_FORM_sec_offset}). */
        SECTION_OFFSET,
        /** The string itself, in {@link #text}. */
        STRING,
        /** An offset into {@code .debug_str}. */
        STRING_OFFSET,
        /** An offset into {@code .debug_line_str}. */
        LINE_STRING_OFFSET,
        /** An index into the unit's {@code .debug_str_offsets} entries. */
        STRING_INDEX,
        /** An index into the unit's {@code .debug_rnglists} offsets. */
        RANGE_LIST_INDEX,
        FLAG
    }

    Kind kind = Kind.NONE;
    long number;
    String text;

    void set(Kind kind, long number) {
        this.kind = kind;
        this.number = number;
        this.text = null;
    }

    void setText(String text) {
        this.kind = Kind.STRING;
        this.number = 0;
        this.text = text;
    }

    boolean isConstant() {
        return kind == Kind.CONSTANT;
    }

    boolean isStringForm() {
        return kind == Kind.STRING || kind == Kind.STRING_OFFSET || kind == Kind.LINE_STRING_OFFSET
                || kind == Kind.STRING_INDEX;
    }
}
