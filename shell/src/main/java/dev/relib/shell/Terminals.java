package dev.relib.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard input or error is a terminal: Java has no isatty, so ask where the fd points (Linux). */
final class Terminals {

    private Terminals() {
    }

    static boolean stdinIsTerminal() {
        try {
            return isTerminalPath(Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }

    /** Whether file descriptor {@code fd} is a terminal; false when that cannot be told. */
    static boolean isTerminal(int fd) {
        try {
            return isTerminalPath(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean isTerminalPath(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
