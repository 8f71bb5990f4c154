package dev.relib.engine.elf;

/** A name read from a possibly hostile file, made safe to print: control characters escaped, cut at 80. */
final class DisplayedName {

    private static final int SHOWN = 80;

    private DisplayedName() {
    }

    static String of(String name) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < name.length() && shown.length() < SHOWN; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                shown.append(String.format("\\x%02x", (int) c));
            } else {
                shown.append(c);
            }
        }
        return shown.length() < SHOWN ? shown.toString() : shown + "...";
    }
}
