package dev.relib.shell;

/** A shell-level failure that is not the engine's (a script file missing, a nested source failing). */
public final class CommandFailedException extends RuntimeException {

    private final String code;
    private final int exitCode;

    public CommandFailedException(String code, String message, int exitCode) {
        super(message);
        this.code = code;
        this.exitCode = exitCode;
    }

    public CommandFailedException(String code, String message) {
        this(code, message, ExitCode.FAILED);
    }

    public String code() {
        return code;
    }

    public int exitCode() {
        return exitCode;
    }
}
