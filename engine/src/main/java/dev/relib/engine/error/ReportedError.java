package dev.relib.engine.error;

/**
 * An engine error raised in the worker process and carried back as its code and message. The code
 * is the one the original typed error had ({@code load.not_elf}, {@code call.bad_argument}, ...), so
 * callers that branch on codes see no difference between the two engines.
 */
public final class ReportedError extends EngineException {

    private final String detail;

    public ReportedError(String code, String message) {
        this(code, message, null);
    }

    public ReportedError(String code, String message, String detail) {
        super(code, message);
        this.detail = detail;
    }

    @Override
    public String detail() {
        return detail;
    }
}
