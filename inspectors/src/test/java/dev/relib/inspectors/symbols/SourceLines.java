package dev.relib.inspectors.symbols;

import dev.relib.engine.testing.SampleModules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds lines in the samples' sources, so tests never hard-code a line number. */
final class SourceLines {

    private SourceLines() {
    }

    /** A source file of the samples, relative to sample-modules/. */
    static Path source(String relative) {
        return SampleModules.targetDir().getParent().resolve(relative);
    }

    /** The 1-based number of the only line containing {@code text}. */
    static int lineOf(Path source, String text) throws IOException {
        List<String> lines = Files.readAllLines(source);
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                if (found >= 0) {
                    throw new IllegalStateException(text + " occurs twice in " + source);
                }
                found = i + 1;
            }
        }
        if (found < 0) {
            throw new IllegalStateException(text + " not found in " + source);
        }
        return found;
    }

    /** The 1-based number of the first line at or after {@code from} that starts with {@code prefix}. */
    static int nextLineStartingWith(Path source, int from, String prefix) throws IOException {
        List<String> lines = Files.readAllLines(source);
        for (int i = from - 1; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i + 1;
            }
        }
        throw new IllegalStateException(prefix + " not found after line " + from + " in " + source);
    }
}
