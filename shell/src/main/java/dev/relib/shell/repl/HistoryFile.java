package dev.relib.shell.repl;

import dev.relib.engine.files.OwnerOnlyPaths;
import dev.relib.engine.files.UserDirectories;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the REPL keeps its history: {@code $XDG_STATE_HOME/relib/history}, by default
 * {@code $HOME/.local/state/relib/history}; {@code $HOME} as the environment says, as bash reads
 * it, not the password database's home that Java's {@code user.home} holds. Commands can hold
 * paths and arguments a user may not want others to read, so the file is 0600 in a 0700
 * directory, as bash and psql keep theirs.
 */
public final class HistoryFile {

    private HistoryFile() {
    }

    /**
     * @param userHome the account's home directory, used when {@code HOME} is unset. A relative
     *                 {@code XDG_STATE_HOME} is ignored, as the XDG base directory specification says.
     */
    public static Path location(Map<String, String> env, String userHome) {
        return new UserDirectories.Of(env, userHome).state().resolve("relib").resolve("history");
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
