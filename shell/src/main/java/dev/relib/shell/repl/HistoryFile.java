package dev.relib.shell.repl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Where the REPL keeps its history: {@code $XDG_STATE_HOME/relib/history}, by default
 * {@code ~/.local/state/relib/history}. Commands can hold paths and arguments a user may not want
 * others to read, so the file is 0600 in a 0700 directory, as bash and psql keep theirs.
 */
public final class HistoryFile {

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private HistoryFile() {
    }

    public static Path location(Map<String, String> env, String userHome) {
        String state = env.get("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() ? Path.of(state) : Path.of(userHome, ".local", "state");
        return base.resolve("relib").resolve("history");
    }

    /** Creates the directory (0700) and the file (0600) if missing, and narrows an existing file to 0600. */
    public static Path prepare(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
        }
        if (Files.exists(file)) {
            Files.setPosixFilePermissions(file, FILE);
        } else {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        }
        return file;
    }
}
