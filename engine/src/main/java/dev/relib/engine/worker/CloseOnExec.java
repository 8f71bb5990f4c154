package dev.relib.engine.worker;

import dev.relib.engine.process.LibcBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Marks the worker's own descriptors close-on-exec. The JDK opens its files and sockets without
 * {@code O_CLOEXEC} (it closes them itself in processes it spawns), so a program a module runs
 * ({@code system()}, {@code posix_spawn}) would inherit the worker's socket to the shell and keep
 * it open after the worker died. Done once, before any module is loaded: the descriptors modules
 * open later are theirs to manage, and stdin, stdout and stderr stay inherited, as programs expect.
 */
final class CloseOnExec {

    /** The libc function; libc is never unloaded, so JNR's loader is fine here. */
    public interface Libc {
        int fcntl(int fd, int command, int argument);
    }

    /** must match: {@code <fcntl.h>} */
    private static final int F_GETFD = 1;
    private static final int F_SETFD = 2;
    private static final int FD_CLOEXEC = 1;

    private CloseOnExec() {
    }

    /** Returns how many descriptors it marked. */
    static int markOpenDescriptors() {
        Libc libc = LibcBinding.load(Libc.class);
        int marked = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path entry : fds.toList()) {
                int fd = Integer.parseInt(entry.getFileName().toString());
                int flags = fd > 2 ? libc.fcntl(fd, F_GETFD, 0) : -1;
                if (flags >= 0 && (flags & FD_CLOEXEC) == 0 && libc.fcntl(fd, F_SETFD, flags | FD_CLOEXEC) == 0) {
                    marked++;
                }
            }
        } catch (IOException e) {
            // No /proc: nothing to mark by; programs a module runs inherit what the JDK left open.
        }
        return marked;
    }
}
