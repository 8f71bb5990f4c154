package dev.relib.engine.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's scheduler state from {@code /proc/PID/stat} ({@code R}, {@code S}, {@code D},
 * {@code T} stopped by a signal, {@code t} stopped by its tracer, {@code Z}) and its tracer from
 * {@code /proc/PID/status}. Read to tell a worker that is working from one that never will.
 */
record ProcessState(char state, long tracerPid) {

    static final ProcessState GONE = new ProcessState('X', 0);

    /** {@code GONE} when the process no longer exists. */
    static ProcessState of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name in parentheses may hold spaces and parentheses: the state follows the last ')'.
            int close = stat.lastIndexOf(')');
            char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return new ProcessState(state, tracer(pid));
        } catch (IOException e) {
            return GONE;
        }
    }

    private static long tracer(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("TracerPid:")) {
                return Long.parseLong(line.substring("TracerPid:".length()).strip());
            }
        }
        return 0;
    }

    /** Stopped by a signal (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU) with no debugger to continue it. */
    boolean stoppedBySignal() {
        return state == 'T' && tracerPid == 0;
    }

    boolean traced() {
        return tracerPid != 0;
    }
}
