package dev.relib.engine.model;

import java.util.List;

/**
 * How the worker process ended.
 *
 * @param request       the request it was running ({@code call crash_null}), or null between requests
 * @param signal        the signal that ended it ({@code SIGSEGV}, {@code SIGABRT}, {@code SIGKILL}), or null
 * @param exitCode      its exit status when it exited without a signal, else -1
 * @param cause         one line: what happened, in the user's terms
 * @param problematicFrame the JVM's "Problematic frame" line for a crash in native code, or null
 * @param lastOutput    the last lines the worker wrote to stdout and stderr (module output, panic text)
 */
public record CrashReport(String request, String signal, int exitCode, String cause, String problematicFrame,
                          List<String> lastOutput) {

    public CrashReport {
        lastOutput = List.copyOf(lastOutput);
    }

    public String summary() {
        return "the worker process died" + (request == null ? "" : " during '" + request + "'") + ": " + cause
                + "; the shell is still running: 'restart' starts a new worker and reloads the modules";
    }
}
