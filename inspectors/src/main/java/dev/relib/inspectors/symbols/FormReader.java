package dev.relib.inspectors.symbols;

/**
 * Reads or skips one attribute value of {@code .debug_info} by its form (DWARF 2 to 5 and the GNU
 * forms listed in {@link DwarfForm}). Strings are not copied here: string forms leave an offset or
 * index for {@link UnitContext#string} to resolve only when a name is wanted.
 */
final class FormReader {

    private FormReader() {
    }

    /**
     * Reads the value at the cursor into {@code out}.
     *
     * @param implicitValue the abbreviation's value for {@code DW_FORM_implicit_const}
     */
    static void read(DwarfCursor cursor, int form, UnitHeader unit, long implicitValue, AttributeValue out) {
        switch (form) {
            case DwarfForm.ADDR -> out.set(AttributeValue.Kind.ADDRESS, cursor.unsigned(unit.addressSize()));
            case DwarfForm.DATA1 -> out.set(AttributeValue.Kind.CONSTANT, cursor.u8());
            case DwarfForm.DATA2 -> out.set(AttributeValue.Kind.CONSTANT, cursor.u16());
            case DwarfForm.DATA4 -> out.set(AttributeValue.Kind.CONSTANT, cursor.u32());
            case DwarfForm.DATA8 -> out.set(AttributeValue.Kind.CONSTANT, cursor.u64());
            case DwarfForm.UDATA -> out.set(AttributeValue.Kind.CONSTANT, cursor.uleb());
            case DwarfForm.SDATA -> out.set(AttributeValue.Kind.CONSTANT, cursor.sleb());
            case DwarfForm.IMPLICIT_CONST -> out.set(AttributeValue.Kind.CONSTANT, implicitValue);
            case DwarfForm.FLAG -> out.set(AttributeValue.Kind.FLAG, cursor.u8());
            case DwarfForm.FLAG_PRESENT -> out.set(AttributeValue.Kind.FLAG, 1);
            case DwarfForm.STRING -> out.setText(cursor.cstring());
            case DwarfForm.STRP -> out.set(AttributeValue.Kind.STRING_OFFSET, cursor.unsigned(unit.offsetSize()));
            case DwarfForm.LINE_STRP -> out.set(AttributeValue.Kind.LINE_STRING_OFFSET, cursor.unsigned(unit.offsetSize()));
            case DwarfForm.STRX, DwarfForm.GNU_STR_INDEX -> out.set(AttributeValue.Kind.STRING_INDEX, cursor.uleb());
            case DwarfForm.ADDRX, DwarfForm.GNU_ADDR_INDEX -> out.set(AttributeValue.Kind.ADDRESS_INDEX, cursor.uleb());
            case DwarfForm.REF1 -> out.set(AttributeValue.Kind.REFERENCE, unit.offset() + cursor.u8());
            case DwarfForm.REF2 -> out.set(AttributeValue.Kind.REFERENCE, unit.offset() + cursor.u16());
            case DwarfForm.REF4 -> out.set(AttributeValue.Kind.REFERENCE, unit.offset() + cursor.u32());
            case DwarfForm.REF8 -> out.set(AttributeValue.Kind.REFERENCE, unit.offset() + cursor.u64());
            case DwarfForm.REF_UDATA -> out.set(AttributeValue.Kind.REFERENCE, unit.offset() + cursor.uleb());
            case DwarfForm.REF_ADDR -> out.set(AttributeValue.Kind.REFERENCE,
                    cursor.unsigned(unit.version() == 2 ? unit.addressSize() : unit.offsetSize()));
            case DwarfForm.SEC_OFFSET -> out.set(AttributeValue.Kind.SECTION_OFFSET, cursor.unsigned(unit.offsetSize()));
            case DwarfForm.RNGLISTX -> out.set(AttributeValue.Kind.RANGE_LIST_INDEX, cursor.uleb());
            case DwarfForm.INDIRECT -> read(cursor, cursor.ulebInt("form"), unit, implicitValue, out);
            default -> {
                if (form >= DwarfForm.STRX1 && form <= DwarfForm.STRX4) {
                    out.set(AttributeValue.Kind.STRING_INDEX, sized(cursor, form - DwarfForm.STRX1 + 1));
                } else if (form >= DwarfForm.ADDRX1 && form <= DwarfForm.ADDRX4) {
                    out.set(AttributeValue.Kind.ADDRESS_INDEX, sized(cursor, form - DwarfForm.ADDRX1 + 1));
                } else {
                    skip(cursor, form, unit);
                    out.set(AttributeValue.Kind.NONE, 0);
                }
            }
        }
    }

    /** Moves the cursor past a value of {@code form}. */
    static void skip(DwarfCursor cursor, int form, UnitHeader unit) {
        switch (form) {
            case DwarfForm.ADDR -> cursor.skip(unit.addressSize());
            case DwarfForm.BLOCK2 -> cursor.skip(cursor.u16());
            case DwarfForm.BLOCK4 -> cursor.skip(cursor.u32());
            case DwarfForm.DATA2, DwarfForm.REF2 -> cursor.skip(2);
            case DwarfForm.DATA4, DwarfForm.REF4, DwarfForm.REF_SUP4 -> cursor.skip(4);
            case DwarfForm.DATA8, DwarfForm.REF8, DwarfForm.REF_SIG8, DwarfForm.REF_SUP8 -> cursor.skip(8);
            case DwarfForm.DATA16 -> cursor.skip(16);
            case DwarfForm.STRING -> cursor.cstring();
            case DwarfForm.BLOCK, DwarfForm.EXPRLOC -> cursor.skip(cursor.uleb());
            case DwarfForm.BLOCK1 -> cursor.skip(cursor.u8());
            case DwarfForm.DATA1, DwarfForm.REF1, DwarfForm.FLAG -> cursor.skip(1);
            case DwarfForm.SDATA -> cursor.sleb();
            case DwarfForm.UDATA, DwarfForm.REF_UDATA, DwarfForm.STRX, DwarfForm.ADDRX, DwarfForm.LOCLISTX,
                    DwarfForm.RNGLISTX, DwarfForm.GNU_ADDR_INDEX, DwarfForm.GNU_STR_INDEX -> cursor.uleb();
            case DwarfForm.STRP, DwarfForm.SEC_OFFSET, DwarfForm.LINE_STRP, DwarfForm.STRP_SUP, DwarfForm.GNU_REF_ALT,
                    DwarfForm.GNU_STRP_ALT -> cursor.skip(unit.offsetSize());
            case DwarfForm.REF_ADDR -> cursor.skip(unit.version() == 2 ? unit.addressSize() : unit.offsetSize());
            case DwarfForm.FLAG_PRESENT, DwarfForm.IMPLICIT_CONST -> {
                // No data in the entry: presence, or the abbreviation, is the value.
            }
            case DwarfForm.INDIRECT -> skip(cursor, cursor.ulebInt("form"), unit);
            default -> {
                if (form >= DwarfForm.STRX1 && form <= DwarfForm.STRX4) {
                    cursor.skip(form - DwarfForm.STRX1 + 1);
                } else if (form >= DwarfForm.ADDRX1 && form <= DwarfForm.ADDRX4) {
                    cursor.skip(form - DwarfForm.ADDRX1 + 1);
                } else {
                    throw cursor.error("attribute form 0x" + Integer.toHexString(form) + " is not read here");
                }
            }
        }
    }

    private static long sized(DwarfCursor cursor, int bytes) {
        return bytes == 3 ? cursor.u24() : cursor.unsigned(bytes);
    }
}
