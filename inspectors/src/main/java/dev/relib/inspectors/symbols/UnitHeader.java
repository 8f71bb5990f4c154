package dev.relib.inspectors.symbols;

/**
 * The header of one unit of {@code .debug_info}, DWARF 2 to 5, 32- or 64-bit.
 *
 * @param offset     where the unit starts in the section (its length field)
 * @param end        the offset just past it
 * @param firstDie   the offset of its root entry
 */
record UnitHeader(int offset, int end, int version, int unitType, int addressSize, int offsetSize,
                  long abbrevOffset, int firstDie) {

    /** Reads the header at {@code offset}; a unit whose length or version is unusable throws. */
    static UnitHeader read(byte[] info, int offset) {
        DwarfCursor cursor = new DwarfCursor(info, ".debug_info");
        cursor.seek(offset);
        int offsetSize = 4;
        long length = cursor.u32();
        if (length == 0xffff_ffffL) {
            offsetSize = 8;
            length = cursor.u64();
        } else if (length >= 0xffff_fff0L) {
            throw cursor.error("reserved unit length 0x" + Long.toHexString(length) + " at offset " + offset);
        }
        long end = cursor.position() + length;
        if (length < 0 || end > info.length) {
            throw cursor.error("unit at offset " + offset + " runs past the section");
        }
        cursor.limitTo(end);
        int version = cursor.u16();
        int unitType = DwarfCodes.DW_UT_COMPILE;
        int addressSize;
        long abbrevOffset;
        if (version == 5) {
            unitType = cursor.u8();
            addressSize = cursor.u8();
            abbrevOffset = cursor.unsigned(offsetSize);
            switch (unitType) {
                case DwarfCodes.DW_UT_SKELETON, DwarfCodes.DW_UT_SPLIT_COMPILE -> cursor.skip(8);
                case DwarfCodes.DW_UT_TYPE, DwarfCodes.DW_UT_SPLIT_TYPE -> cursor.skip(8 + offsetSize);
                default -> {
                    // DW_UT_compile and DW_UT_partial: the root entry follows.
                }
            }
        } else if (version >= 2 && version <= 4) {
            abbrevOffset = cursor.unsigned(offsetSize);
            addressSize = cursor.u8();
        } else {
            throw cursor.error("unit at offset " + offset + " has version " + version + " (versions 2 to 5 are read)");
        }
        if (addressSize != 8 && addressSize != 4) {
            throw cursor.error("unit at offset " + offset + " has address size " + addressSize);
        }
        return new UnitHeader(offset, (int) end, version, unitType, addressSize, offsetSize, abbrevOffset,
                cursor.position());
    }

    /** Whether the unit holds code (a compile or partial unit), not only types. */
    boolean describesCode() {
        return unitType == DwarfCodes.DW_UT_COMPILE || unitType == DwarfCodes.DW_UT_PARTIAL
                || unitType == DwarfCodes.DW_UT_SKELETON;
    }
}
