package dev.relib.shell.command;

import dev.relib.inspectors.allocations.LeakSuppressions;
import dev.relib.shell.CommandFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --suppress FILE}: reads a suppressions file, or fails with one message naming it. */
final class SuppressionsFile {

    private SuppressionsFile() {
    }

    static LeakSuppressions read(Path file) {
        if (file == null) {
            return LeakSuppressions.none();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new CommandFailedException("suppress.unreadable", "cannot read suppressions file " + file + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "; give a text file with one function or FILE:LINE pattern a line");
        }
        try {
            return LeakSuppressions.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException("suppress.invalid", "suppressions file " + file + ", " + e.getMessage());
        }
    }
}
