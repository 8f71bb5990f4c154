package dev.relib.engine.error;

import dev.relib.engine.model.CrashReport;

/**
 * The worker process died (a signal, an abort, an exit) or was killed at a deadline while running
 * a request. The shell survives it; {@code restart} starts a fresh worker. Exit code 4 in scripts.
 */
public final class WorkerCrash extends EngineException {

    private final CrashReport report;

    public WorkerCrash(CrashReport report) {
        super("worker.crashed", report.summary());
        this.report = report;
    }

    public CrashReport report() {
        return report;
    }
}
