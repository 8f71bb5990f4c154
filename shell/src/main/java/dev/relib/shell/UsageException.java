package dev.relib.shell;

/** The user typed something the shell cannot read as a command: exit code 2. */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
