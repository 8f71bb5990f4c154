package dev.relib.engine.sdk;

import java.io.PrintStream;

/** Where an SDK module's log lines go: the {@code log} import and the host table's log function. */
@FunctionalInterface
public interface HostLog {

    void write(String module, int level, String message);

    /** Standard error, which the worker engine forwards to the shell as the module's output. */
    static HostLog to(PrintStream stream) {
        return (module, level, message) -> {
            stream.println("[" + module + " " + levelName(level) + "] " + message);
            stream.flush();
        };
    }

    static String levelName(int level) {
        return switch (level) {
            case 1 -> "ERROR";
            case 2 -> "WARN";
            case 3 -> "INFO";
            case 4 -> "DEBUG";
            case 5 -> "TRACE";
            default -> "LEVEL" + Integer.toUnsignedString(level);
        };
    }
}
