package dev.relib.shell.it;

import dev.relib.engine.testing.SampleModules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Lines of the samples' sources, found by their text, so no test hard-codes a line number. */
final class SampleSources {

    private SampleSources() {
    }

    /** The 1-based number of the first line of {@code file} (relative to sample-modules/) containing {@code text}. */
    static int lineOf(String file, String text) throws IOException {
        Path source = SampleModules.targetDir().getParent().resolve(file);
        List<String> lines = Files.readAllLines(source);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " is not in " + source);
    }
}
