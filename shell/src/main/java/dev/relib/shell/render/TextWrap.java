package dev.relib.shell.render;

import java.util.ArrayList;
import java.util.List;

/**
 * Breaks text into lines of at most a given width at spaces, never inside a word: a word longer
 * than the width (a path, a mangled symbol) gets a line of its own, whole, so it can still be
 * copied and searched for.
 */
public final class TextWrap {

    private TextWrap() {
    }

    /** The lines of {@code text} at most {@code width} wide; {@code width} < 1 means no limit. */
    public static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        if (width < 1 || text.length() <= width) {
            lines.add(text);
            return lines;
        }
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
