package dev.relib.engine.files;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The user's directories as a login shell and the XDG base directory specification name them:
 * {@code $HOME} as the environment says (not the password database's home that Java's
 * {@code user.home} holds, which is only the fallback), and relative XDG variables ignored.
 */
public final class UserDirectories {

    private UserDirectories() {
    }

    /** The directories of this process's environment, with Java's {@code user.home} as the fallback. */
    public static UserDirectories.Of ofThisProcess() {
        return new Of(System.getenv(), System.getProperty("user.home"));
    }

    /**
     * @param env      the environment that names them
     * @param userHome the account's home directory, used when {@code HOME} is unset or blank
     */
    public record Of(Map<String, String> env, String userHome) {

        /** {@code $HOME}, or the account's home. */
        public Path home() {
            String home = env.get("HOME");
            return home != null && !home.isBlank() ? Path.of(home) : Path.of(userHome);
        }

        /** {@code $XDG_CACHE_HOME} when absolute, else {@code ~/.cache}. */
        public Path cache() {
            return xdg("XDG_CACHE_HOME").orElseGet(() -> home().resolve(".cache"));
        }

        /** {@code $XDG_STATE_HOME} when absolute, else {@code ~/.local/state}. */
        public Path state() {
            return xdg("XDG_STATE_HOME").orElseGet(() -> home().resolve(".local").resolve("state"));
        }

        private Optional<Path> xdg(String name) {
            String value = env.get(name);
            return value != null && !value.isBlank() && Path.of(value).isAbsolute()
                    ? Optional.of(Path.of(value)) : Optional.empty();
        }
    }
}
