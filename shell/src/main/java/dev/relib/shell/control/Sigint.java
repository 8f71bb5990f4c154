package dev.relib.shell.control;

import dev.relib.engine.process.LibcBinding;
import org.jline.utils.Signals;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The process's SIGINT, taken from the JVM, whose own handler would end the shell (exit 130).
 * The REPL's terminal routes it itself ({@link dev.relib.shell.repl.TerminalIO#onInterrupt}), since
 * the line reader takes it over while a line is read and hands it back afterwards.
 */
public final class Sigint {

    /** The libc function. */
    public interface Libc {
        long signal(int signal, long handler);
    }

    /** must match: {@code <signal.h>} */
    private static final int SIGINT = 2;
    private static final long SIG_DFL = 0;

    private Sigint() {
    }

    /** Runs {@code handler} on the JVM's signal thread for each SIGINT from now on. */
    public static void onEach(Runnable handler) {
        Signals.register("INT", handler);
    }

    /**
     * Makes Ctrl-C reach a shell that reads a terminal even when it was started with SIGINT ignored
     * (a job a non-interactive script put in the background, as CI runners and some launchers do):
     * the JVM installs no handler for a signal ignored when it started, so Ctrl-C would do nothing,
     * not even drop the line. The person typing at the terminal wants it, as gdb takes it. Until the
     * line reader registers its own handler, SIGINT does nothing.
     */
    public static void takeBackIfIgnored() {
        Signal interrupt = new Signal("INT");
        SignalHandler nothing = signal -> { };
        if (Signal.handle(interrupt, nothing) == SignalHandler.SIG_IGN) {
            LibcBinding.load(Libc.class).signal(SIGINT, SIG_DFL);
            Signal.handle(interrupt, nothing);
        }
    }
}
