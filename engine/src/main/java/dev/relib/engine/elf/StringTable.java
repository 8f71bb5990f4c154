package dev.relib.engine.elf;

import java.nio.charset.StandardCharsets;

/** An ELF string table: NUL-terminated strings addressed by byte offset. */
final class StringTable {

    static final StringTable EMPTY = new StringTable(new byte[0], "empty string table");

    private final byte[] bytes;
    private final String name;

    StringTable(byte[] bytes, String name) {
        this.bytes = bytes;
        this.name = name;
    }

    int size() {
        return bytes.length;
    }

    /** The string at {@code offset}, or null when the offset lies outside the table. */
    String at(long offset) {
        if (offset == 0 && bytes.length == 0) {
            return "";
        }
        if (offset < 0 || offset >= bytes.length) {
            return null;
        }
        int start = (int) offset;
        int end = start;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    /** The string at {@code offset}, or an InvalidElf naming {@code what} when it lies outside. */
    String require(long offset, String what, PositionalFileReader file) {
        String value = at(offset);
        if (value == null) {
            throw file.invalid(what + " points at offset " + offset + ", outside " + name + " ("
                    + bytes.length + " bytes)");
        }
        return value;
    }
}
