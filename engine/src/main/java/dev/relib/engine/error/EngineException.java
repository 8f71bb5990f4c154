package dev.relib.engine.error;

/**
 * Every failure the engine reports. Each subtype has a stable {@link #code()} (used in JSON output
 * and across the worker boundary) and a message that names the thing and says what to do.
 */
public abstract sealed class EngineException extends RuntimeException
        permits LoadError, ModuleError, SignatureError, CallError, EngineFailure, WorkerCrash, ReportedError,
        MemoryError {

    private final String code;

    protected EngineException(String code, String message) {
        super(message);
        this.code = code;
    }

    protected EngineException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Stable, dotted, lower case: {@code load.not_elf}, {@code call.argument_count}. Codes are only added. */
    public final String code() {
        return code;
    }

    /** A finer stable code under {@link #code()} ({@code load.invalid_elf}'s defect), or null. */
    public String detail() {
        return null;
    }
}
