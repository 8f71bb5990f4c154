package dev.relib.shell.control;

import org.jline.utils.Signals;

/**
 * The process's SIGINT, taken from the JVM, whose own handler would end the shell (exit 130).
 * The REPL's terminal routes it itself ({@link dev.relib.shell.repl.TerminalIO#onInterrupt}), since
 * the line reader takes it over while a line is read and hands it back afterwards.
 */
public final class Sigint {

    private Sigint() {
    }

    /** Runs {@code handler} on the JVM's signal thread for each SIGINT from now on. */
    public static void onEach(Runnable handler) {
        Signals.register("INT", handler);
    }
}
