package dev.relib.engine.process;

import java.nio.charset.StandardCharsets;

/**
 * Notices that the thread running is in a child process a module forked and then returned from
 * into the JVM: a copy of the whole JVM with only that thread, which would otherwise go on serving
 * requests nobody sends (or answer ones meant for its parent) for as long as it lives. Such a child
 * says so on stderr and ends at once, without running the JVM's shutdown.
 */
public final class ForkedChild {

    /** The libc functions; libc is never unloaded, so JNR's loader is fine here. */
    public interface Libc {
        int getpid();

        long write(int fd, byte[] bytes, long count);

        void _exit(int status);
    }

    /** Its exit status, for whoever waits for it: 128 + SIGCHLD's number would mislead; 0 would hide it. */
    static final int EXIT_STATUS = 70;

    private static final Libc LIBC = LibcBinding.load(Libc.class);
    private static final long PID = LIBC.getpid();

    private ForkedChild() {
    }

    /** Whether this is not the process the class was loaded in (glibc's getpid() does not cache). */
    public static boolean isForkedChild() {
        return LIBC.getpid() != PID;
    }

    /** Ends this process if it is a forked child; returns otherwise. */
    public static void exitIfForked(String during) {
        if (isForkedChild()) {
            // Straight to fd 2: a Java stream's lock may have been held by a thread the fork left behind.
            byte[] line = ("relib: a process the module forked (pid " + LIBC.getpid() + ", child of " + PID
                    + ") returned into the host from " + during + "; it was ended\n").getBytes(StandardCharsets.UTF_8);
            LIBC.write(2, line, line.length);
            LIBC._exit(EXIT_STATUS);
        }
    }
}
