package dev.relib.engine.error;

/**
 * An engine error raised in the worker process and carried back as its code and message. The code
 * is the one the original typed error had ({@code load.not_elf}, {@code call.bad_argument}, ...), so
 * callers that branch on codes see no difference between the two engines.
 */
public final class ReportedError extends EngineException {

    public ReportedError(String code, String message) {
        super(code, message);
    }
}
