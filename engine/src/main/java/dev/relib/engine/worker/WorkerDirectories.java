package dev.relib.engine.worker;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * The workers' private directories under the temporary directory: socket, fatal-error log and the
 * worker's own temporary files, shadow copies of every loaded module among them. A shell removes
 * its worker's directory when the worker ends, however it ended; one a shell could not remove (it
 * was killed itself) is removed by the next shell that starts, once its worker is gone too.
 */
final class WorkerDirectories {

    static final String PREFIX = "relib-worker-";
    private static final String PID_FILE = "worker.pid";

    private WorkerDirectories() {
    }

    /**
     * Records which processes the directory belongs to: the worker, and the shell that started it.
     * A shell keeps a dead worker's directory (its crash file, the shadow copies its backtrace is
     * symbolized from) until it restarts or ends, so only both being gone makes it abandoned.
     */
    static void claim(Path directory, long workerPid) throws IOException {
        Files.writeString(directory.resolve(PID_FILE), workerPid + " " + ProcessHandle.current().pid());
    }

    /** Removes this user's worker directories whose worker and shell no longer run. */
    static void removeAbandoned() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> entries = Files.list(tmp)) {
            for (Path dir : entries.filter(d -> d.getFileName().toString().startsWith(PREFIX)).toList()) {
                if (abandoned(dir)) {
                    delete(dir);
                }
            }
        } catch (IOException e) {
            // An unlistable temporary directory: nothing to clean up in it.
        }
    }

    private static boolean abandoned(Path dir) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                    || !Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).equals(Files.getOwner(Path.of("/proc/self")))) {
                return false;
            }
            Path pidFile = dir.resolve(PID_FILE);
            if (!Files.isRegularFile(pidFile, LinkOption.NOFOLLOW_LINKS)) {
                return false; // still starting, or not ours to judge
            }
            for (String pid : Files.readString(pidFile).strip().split(" ")) {
                if (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /** Removes the directory and everything in it, symbolic links as links. */
    static void delete(Path directory) {
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // What could not be removed costs disk only; the next shell tries again.
        }
    }
}
