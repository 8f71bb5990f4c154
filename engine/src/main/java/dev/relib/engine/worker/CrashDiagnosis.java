package dev.relib.engine.worker;

import dev.relib.engine.model.CrashReport;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns how the worker ended (exit status, its last output) into a report in the user's terms.
 * A fault in native code is caught by the JVM's own handler, which prints "# SIGSEGV (0xb) at
 * pc=..." and a "Problematic frame", then aborts; the signal that matters is the one it names.
 */
final class CrashDiagnosis {

    private static final Map<Integer, String> SIGNALS = Map.ofEntries(
            Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"), Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"),
            Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"),
            Map.entry(9, "SIGKILL"), Map.entry(11, "SIGSEGV"), Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"),
            Map.entry(15, "SIGTERM"));

    /** Lines the report shows; diagnosis reads further back (a panic's backtrace can be long). */
    static final int SHOWN_LINES = 20;

    private CrashDiagnosis() {
    }

    /**
     * Java reports a process killed by signal N as exit status 128 + N. A JVM that caught a fault
     * in native code exits with status 1 after writing its fatal-error log, so that log (or its
     * banner on stdout) is what says which signal it was.
     */
    static CrashReport of(String request, int exitStatus, List<String> lastOutput, Optional<JvmCrashLog> crashLog) {
        String jvmSignal = null;
        String frame = null;
        for (int i = 0; i < lastOutput.size(); i++) {
            String line = stripStream(lastOutput.get(i));
            if (line.matches("#\\s+SIG[A-Z]+ \\(0x[0-9a-f]+\\).*")) {
                jvmSignal = line.substring(1).strip().split(" ")[0];
            }
            if (line.startsWith("# Problematic frame:") && i + 1 < lastOutput.size()) {
                frame = stripStream(lastOutput.get(i + 1)).substring(1).strip();
            }
        }
        // The log has it all when the banner went nowhere: a module that closed stdout and stderr first.
        if (crashLog.isPresent()) {
            jvmSignal = jvmSignal == null ? crashLog.get().signal() : jvmSignal;
            frame = frame == null ? crashLog.get().problematicFrame() : frame;
        }
        String signal = exitStatus > 128 ? SIGNALS.getOrDefault(exitStatus - 128, "signal " + (exitStatus - 128)) : null;
        String cause;
        if (jvmSignal != null) {
            cause = jvmSignal + " in native code" + (frame == null ? "" : " at " + frame);
            signal = jvmSignal;
        } else if ("SIGABRT".equals(signal)) {
            cause = "the module aborted the process (SIGABRT)" + abortHint(lastOutput);
        } else if (signal != null) {
            cause = "killed by " + signal;
        } else {
            cause = "it exited with status " + exitStatus;
        }
        return new CrashReport(request, signal, signal == null ? exitStatus : -1, cause, frame, tail(lastOutput),
                crashLog.map(JvmCrashLog::faultAddress).orElse(null),
                crashLog.map(JvmCrashLog::nativeFrames).orElse(List.of()));
    }

    static CrashReport of(String request, int exitStatus, List<String> lastOutput) {
        return of(request, exitStatus, lastOutput, Optional.empty());
    }

    static CrashReport timedOut(String request, java.time.Duration timeout, List<String> lastOutput) {
        return new CrashReport(request, "SIGKILL", -1, "still running after " + timeout.toMillis()
                + " ms (a loop or a deadlock?), so the worker was killed", null, tail(lastOutput));
    }

    /** Ended by the user while the request ran (Ctrl-C twice at the prompt, once in a script). */
    static CrashReport endedByUser(String request, long pid, List<String> lastOutput) {
        return new CrashReport(request, "SIGKILL", -1, "ended by Ctrl-C while it ran; the worker (pid " + pid
                + ") was killed", null, tail(lastOutput));
    }

    /** Found stopped ({@code T} in /proc) with no debugger attached: nothing would ever continue it. */
    static CrashReport stopped(String request, long pid, List<String> lastOutput) {
        return new CrashReport(request, "SIGKILL", -1, "the worker (pid " + pid + ") was stopped by a signal"
                + " (SIGSTOP, SIGTSTP, ...) with no debugger attached, so it would never answer; it was killed"
                + " (to debug a module that stops itself, attach gdb -p PID before it stops)", null, tail(lastOutput));
    }

    /**
     * The report showing only {@code requestLines}, what was printed during the request that
     * crashed: the diagnosis read further back, but earlier lines may be another module's.
     */
    static CrashReport showingOnly(CrashReport report, List<String> requestLines) {
        return new CrashReport(report.request(), report.signal(), report.exitCode(), report.cause(),
                report.problematicFrame(), tail(requestLines), report.faultAddress(), report.nativeFrames(),
                report.nativeCrash());
    }

    /**
     * Rust prints "thread 'x' panicked at FILE:LINE:COL:", the message on the next line, then a
     * backtrace and "panic in a function that cannot unwind", then aborts.
     */
    private static String abortHint(List<String> lastOutput) {
        for (int i = lastOutput.size() - 1; i >= 0; i--) {
            String line = stripStream(lastOutput.get(i));
            int at = line.indexOf("panicked at ");
            String message = i + 1 < lastOutput.size() ? stripStream(lastOutput.get(i + 1)).strip() : "";
            // The abort itself is reported as a second panic; the user's panic is the one before it.
            if (at >= 0 && !message.equals("panic in a function that cannot unwind")) {
                return ": " + line.substring(at).strip() + " " + message;
            }
        }
        return "";
    }

    /**
     * The last lines the modules printed. The JVM's fatal-error banner is left out: what it says is
     * in the cause and frame, and the hs_err file it names goes with the worker's directory.
     */
    private static List<String> tail(List<String> lines) {
        int banner = lines.size();
        for (int i = 0; i < lines.size(); i++) {
            if (stripStream(lines.get(i)).startsWith("# A fatal error has been detected")) {
                banner = i > 0 && stripStream(lines.get(i - 1)).equals("#") ? i - 1 : i;
                break;
            }
        }
        List<String> shown = new java.util.ArrayList<>(lines.subList(0, banner));
        lines.subList(banner, lines.size()).stream().filter(line -> !stripStream(line).startsWith("#"))
                .forEach(shown::add);
        return shown.subList(Math.max(0, shown.size() - SHOWN_LINES), shown.size());
    }

    private static String stripStream(String line) {
        return line.replaceFirst("^(stdout|stderr): ", "");
    }
}
