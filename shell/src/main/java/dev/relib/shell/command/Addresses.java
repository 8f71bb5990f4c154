package dev.relib.shell.command;

import dev.relib.shell.UsageException;

/** Addresses as users type them: {@code 0x7f12ab}, or decimal. */
final class Addresses {

    private Addresses() {
    }

    static long parse(String text) {
        String t = text.strip().replace("_", "");
        try {
            return t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16)
                    : Long.parseUnsignedLong(t);
        } catch (NumberFormatException e) {
            throw new UsageException("'" + text + "' is not an address; write it as 0x7f12... or in decimal");
        }
    }
}
