package dev.relib.shell.render;

/**
 * Text from a module made safe for a terminal: control characters (C0, DEL, C1, which start escape
 * and control sequences: colours, cursor moves, window titles, clearing the screen, {@code \r}
 * overwriting the line) are shown as escapes (backslash-x1b, backslash-r, backslash-u{9b} for C1) instead of
 * acting on the terminal. Tabs stay tabs.
 */
public final class TerminalText {

    private TerminalText() {
    }

    public static String escapeControls(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0);
            if (!control) {
                if (escaped != null) {
                    escaped.append(c);
                }
                continue;
            }
            if (escaped == null) {
                escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            switch (c) {
                case '\r' -> escaped.append("\\r");
                case '\n' -> escaped.append("\\n");
                default -> escaped.append(c < 0x80 ? String.format("\\x%02x", (int) c) : String.format("\\u{%x}", (int) c));
            }
        }
        return escaped == null ? text : escaped.toString();
    }
}
