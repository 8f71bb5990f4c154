package dev.relib.shell;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of this repository (man pages, the demo script) from wherever the tests run. */
public final class RepositoryFiles {

    private RepositoryFiles() {
    }

    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("man")) && Files.isRegularFile(dir.resolve("relib"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root (with man/ and relib) not found above " + Path.of("").toAbsolutePath());
    }
}
