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
 * @param faultAddress  the address a fault in native code was on ({@code si_addr}, hex) as the JVM's
 *                      fatal-error log gives it, or null
 * @param nativeFrames  the JVM's native frames at the fault, innermost first, as it printed them; empty
 *                      when it printed none (the worker was killed, or aborted)
 * @param nativeCrash   what a fatal signal left in the agent's crash file (siginfo, the crashing thread's
 *                      stack walked from its registers, the maps), when the worker died of one; else null
 */
public record CrashReport(String request, String signal, int exitCode, String cause, String problematicFrame,
                          List<String> lastOutput, String faultAddress, List<String> nativeFrames,
                          NativeCrash nativeCrash) {

    public CrashReport {
        lastOutput = List.copyOf(lastOutput);
        nativeFrames = nativeFrames == null ? List.of() : List.copyOf(nativeFrames);
    }

    public CrashReport(String request, String signal, int exitCode, String cause, String problematicFrame,
                       List<String> lastOutput, String faultAddress, List<String> nativeFrames) {
        this(request, signal, exitCode, cause, problematicFrame, lastOutput, faultAddress, nativeFrames, null);
    }

    public CrashReport(String request, String signal, int exitCode, String cause, String problematicFrame,
                       List<String> lastOutput) {
        this(request, signal, exitCode, cause, problematicFrame, lastOutput, null, List.of(), null);
    }

    public CrashReport withNativeCrash(NativeCrash crash) {
        return new CrashReport(request, signal, exitCode, cause, problematicFrame, lastOutput, faultAddress,
                nativeFrames, crash);
    }

    public String summary() {
        return "the worker process died" + (request == null ? "" : " during '" + request + "'") + ": " + cause
                + "; the shell is still running: 'restart' starts a new worker and reloads the modules";
    }
}
