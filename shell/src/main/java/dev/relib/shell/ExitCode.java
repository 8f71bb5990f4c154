package dev.relib.shell;

/**
 * The process exit codes, as documented in relib(1). A script run with {@code --keep-going} exits
 * with the highest code any of its commands produced.
 */
public final class ExitCode {

    public static final int OK = 0;
    /** A command failed (bad input, missing file or symbol, a call that could not be made). */
    public static final int FAILED = 1;
    /** The command line itself is wrong: unknown command or option, missing argument. */
    public static final int USAGE = 2;
    /** A check failed: a {@code --strict} leak, unload refused, module still mapped, load blocked. */
    public static final int CHECK_FAILED = 3;
    /** The module crashed the process that hosted it. */
    public static final int CRASHED = 4;
    /** Ctrl-C (SIGINT) stopped a script, as a POSIX shell's 128 + 2. */
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }
}
