package dev.relib.inspectors.symbols;

/**
 * The string sections a line table or compilation unit may refer to; either may be null when the
 * object lacks it.
 *
 * @param str     {@code .debug_str} ({@code DW_FORM_strp})
 * @param lineStr {@code .debug_line_str} ({@code DW_FORM_line_strp}, DWARF 5)
 */
record DebugStrings(byte[] str, byte[] lineStr) {

    String strp(long offset) {
        return DwarfCursor.stringAt(str, offset, ".debug_str");
    }

    String lineStrp(long offset) {
        return DwarfCursor.stringAt(lineStr, offset, ".debug_line_str");
    }
}
