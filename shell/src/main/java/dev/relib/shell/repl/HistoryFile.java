package dev.relib.shell.repl;

import dev.relib.engine.files.OwnerOnlyPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the REPL keeps its history: {@code $XDG_STATE_HOME/relib/history}, by default
 * {@code ~/.local/state/relib/history}. Commands can hold paths and arguments a user may not want
 * others to read, so the file is 0600 in a 0700 directory, as bash and psql keep theirs.
 */
public final class HistoryFile {

    private HistoryFile() {
    }

    public static Path location(Map<String, String> env, String userHome) {
        String state = env.get("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() ? Path.of(state) : Path.of(userHome, ".local", "state");
        return base.resolve("relib").resolve("history");
    }

    /**
     * Creates the directory (0700) and the file (0600) if missing, and narrows an existing file to
     * 0600. Refuses (so the REPL keeps no history, with a warning) a file that is a symbolic link or
     * belongs to someone else, and a directory others could change: with a shared
     * {@code XDG_STATE_HOME}, another user could otherwise read the history or have it written
     * (and chmod-ed) wherever a planted link points.
     */
    public static Path prepare(Path file) throws IOException {
        OwnerOnlyPaths.directory(file.toAbsolutePath().getParent());
        return OwnerOnlyPaths.file(file);
    }
}
