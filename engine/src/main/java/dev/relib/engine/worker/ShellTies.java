package dev.relib.engine.worker;

import dev.relib.engine.process.LibcBinding;

/**
 * The worker's place among processes: in a session of its own, so that the terminal's Ctrl-C and
 * Ctrl-Z (sent to the shell's process group) never reach it, yet alive only as long as the shell
 * that started it. Outside the shell's session no hang-up signal ends it with the terminal, and a
 * call that spins would never read the socket's end; so a watcher halts it once its parent is gone.
 */
final class ShellTies {

    /** How often the watcher looks at its parent; an orphan spins this long at most. */
    private static final long WATCH_MILLIS = 500;

    /** The binding; libc is never unloaded, so JNR's loader is fine here. */
    public interface Libc {
        int setsid();

        int getsid(int pid);

        int getpid();

        int getppid();
    }

    /** Bound once for both ties (a binding is a generated class each time it is loaded). */
    private static final Libc LIBC = LibcBinding.load(Libc.class);

    private ShellTies() {
    }

    /**
     * Leaves the shell's session, unless setsid(1) already started the worker in one of its own.
     * A failure leaves the worker where it is: then Ctrl-C reaches it, as before.
     */
    static void leaveShellSession() {
        if (LIBC.getsid(0) != LIBC.getpid()) {
            LIBC.setsid();
        }
    }

    /**
     * Halts this process once the process that started it has ended (it is then re-parented).
     * Asked with getppid(2), not ProcessHandle, which opens /proc/self/stat: a descriptor taken and
     * given back twice a second, beside a module's own, moved the numbers its fds got (and an fd
     * leak report's order) whenever the two met.
     */
    static void haltWhenOrphaned() {
        int parent = LIBC.getppid();
        if (parent <= 1) {
            return;
        }
        Thread watcher = new Thread(() -> {
            while (LIBC.getppid() == parent) {
                try {
                    Thread.sleep(WATCH_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Runtime.getRuntime().halt(0);
        }, "relib-worker-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
