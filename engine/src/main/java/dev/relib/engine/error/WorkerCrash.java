package dev.relib.engine.error;

import dev.relib.engine.model.CrashReport;

/**
 * The worker process died (a signal, an abort, an exit) or was ended by the shell while running a
 * request: killed at a deadline ({@code load.timeout} for a load, {@code worker.crashed} for a
 * call), or found stopped by a signal that nothing would continue ({@code worker.stopped}). The
 * shell survives it; {@code restart} starts a fresh worker. Exit code 4 in scripts.
 */
public final class WorkerCrash extends EngineException {

    public static final String CRASHED = "worker.crashed";
    public static final String STOPPED = "worker.stopped";
    public static final String LOAD_TIMEOUT = "load.timeout";
    /** The user ended the worker while a request ran in it (Ctrl-C twice). */
    public static final String INTERRUPTED = "worker.interrupted";

    private final CrashReport report;

    public WorkerCrash(CrashReport report) {
        this(CRASHED, report);
    }

    public WorkerCrash(String code, CrashReport report) {
        super(code, report.summary());
        this.report = report;
    }

    public CrashReport report() {
        return report;
    }
}
