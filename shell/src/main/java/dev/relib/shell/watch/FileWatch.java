package dev.relib.shell.watch;

import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.error.EngineException;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches one file through its directory, so that a file replaced by rename (as cargo and most
 * linkers do) is still seen, as is one deleted and created again. After a change it waits until
 * the file's size, modification time and inode have stayed the same for the settle time and the
 * file opens as a complete shared object for this machine; only then does it call
 * {@code onSettled}. A file that settles incomplete is reported once to {@code onIncomplete} and
 * waited on until it changes again, so a half-written file is never handed on.
 */
public final class FileWatch implements AutoCloseable {

    private final Path file;
    private final Duration settle;
    private final Runnable onSettled;
    private final Consumer<String> onIncomplete;
    private final WatchService service;
    private final Thread thread;
    private volatile boolean closed;

    private FileWatch(Path file, Duration settle, Runnable onSettled, Consumer<String> onIncomplete,
                      WatchService service, String threadName) {
        this.file = file;
        this.settle = settle;
        this.onSettled = onSettled;
        this.onIncomplete = onIncomplete;
        this.service = service;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /**
     * Starts watching; the callbacks run on the watch's own thread.
     *
     * @throws IOException when the file's directory cannot be watched
     */
    public static FileWatch start(Path file, Duration settle, Runnable onSettled, Consumer<String> onIncomplete)
            throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Path directory = absolute.getParent();
        WatchService service = directory.getFileSystem().newWatchService();
        try {
            directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
        FileWatch watch = new FileWatch(absolute, settle, onSettled, onIncomplete, service,
                "relib-watch-" + absolute.getFileName());
        watch.thread.start();
        return watch;
    }

    public Path file() {
        return file;
    }

    public Duration settle() {
        return settle;
    }

    private void run() {
        long pollMillis = Math.max(10, Math.min(100, settle.toMillis() / 3));
        boolean changed = false;
        Stamp last = null;
        long stableSince = 0;
        try {
            while (!closed) {
                WatchKey key = service.poll(pollMillis, TimeUnit.MILLISECONDS);
                if (key != null) {
                    changed |= concernsFile(key);
                    if (!key.reset()) {
                        onIncomplete.accept("the directory " + file.getParent() + " is gone; the watch has ended");
                        return;
                    }
                }
                if (!changed) {
                    continue;
                }
                Stamp now = Stamp.of(file);
                if (now == null) {
                    last = null;
                    continue;
                }
                if (!now.equals(last)) {
                    last = now;
                    stableSince = System.nanoTime();
                    continue;
                }
                if (System.nanoTime() - stableSince < settle.toNanos()) {
                    continue;
                }
                changed = false;
                String incomplete = incompleteBecause(file);
                if (incomplete == null) {
                    onSettled.run();
                } else {
                    onIncomplete.accept(file.getFileName() + " changed but is not a complete shared object ("
                            + incomplete + "); not reloaded, waiting for the next change");
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // Closed: the watch ends.
        }
    }

    private boolean concernsFile(WatchKey key) {
        boolean concerns = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW
                    || file.getFileName().equals(event.context())) {
                concerns = true;
            }
        }
        return concerns;
    }

    /** Null when the file is a whole ELF shared object this machine could load, else why not. */
    private static String incompleteBecause(Path file) {
        try {
            ElfFile.open(file).requireLoadableHere();
            return null;
        } catch (EngineException e) {
            return e.getMessage();
        }
    }

    /** Stops watching and waits briefly for a reload in progress to finish. */
    @Override
    public void close() {
        closed = true;
        try {
            service.close();
        } catch (IOException e) {
            // Nothing is left to release.
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What says a file is still being written: its inode, size and modification time. */
    private record Stamp(Object inode, long size, long modified) {

        static Stamp of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(attributes.fileKey(), attributes.size(),
                        attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
            } catch (IOException e) {
                // Gone for now (deleted before a new one is renamed in): nothing to settle yet.
                return null;
            }
        }
    }
}
