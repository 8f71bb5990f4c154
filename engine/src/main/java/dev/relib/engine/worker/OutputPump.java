package dev.relib.engine.worker;

import dev.relib.engine.model.ModuleOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads one of the worker's output streams line by line, hands module lines to the shell, and
 * notices the sync markers the worker writes after each request, so the shell can wait until
 * everything printed before a response has been shown. A marker carries a token the worker sent
 * over its socket, which no module has seen, so nothing a module prints can pass for one; a line
 * that looks like a marker and is not one is module output like any other.
 */
final class OutputPump implements Runnable {

    /** A module line longer than this is passed on in pieces, so no output can exhaust the shell's memory. */
    static final int MAX_LINE = 64 * 1024;

    private final InputStream in;
    private final ModuleOutput.Stream stream;
    private final Consumer<ModuleOutput> sink;
    private final RecentLines recent;
    private volatile String marker;
    private long syncedId = -1;
    private boolean ended;
    private long lastReadNanos = System.nanoTime();
    /** After the JVM's fatal-error banner, its '#' lines are the crash report's, not module output. */
    private boolean inJvmCrashReport;
    /** A lone "#" line, held until the next line says whether it opened the JVM's banner. */
    private boolean heldHash;

    OutputPump(InputStream in, ModuleOutput.Stream stream, Consumer<ModuleOutput> sink, RecentLines recent) {
        this.in = in;
        this.stream = stream;
        this.sink = sink;
        this.recent = recent;
    }

    Thread start() {
        Thread thread = new Thread(this, "relib-worker-" + stream.name().toLowerCase());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The marker of this worker's syncs, known once it said hello; until then every line is module output. */
    void expectMarker(String marker) {
        this.marker = marker;
    }

    @Override
    public void run() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int read; (read = in.read(buffer)) >= 0; ) {
                synchronized (this) {
                    lastReadNanos = System.nanoTime();
                }
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        emit(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(buffer[i]);
                        if (line.size() >= MAX_LINE) {
                            deliver(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        }
                    }
                }
            }
            if (line.size() > 0) {
                emit(line.toString(StandardCharsets.UTF_8));
            }
            releaseHeldHash();
        } catch (IOException | RuntimeException e) {
            // The worker is gone (or the sink failed); what it printed until then has been passed on.
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    private void emit(String text) {
        String expected = marker;
        int at = expected == null ? -1 : text.indexOf(expected);
        long id = at < 0 ? -1 : syncId(text.substring(at + expected.length()));
        if (id < 0) {
            deliver(text);
            return;
        }
        if (at > 0) {
            deliver(text.substring(0, at));
        }
        releaseHeldHash();
        synchronized (this) {
            syncedId = Math.max(syncedId, id);
            notifyAll();
        }
    }

    /** The request id after a marker, or -1 when what follows is not one. */
    private static long syncId(String rest) {
        String digits = rest.strip();
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(digits);
    }

    private void deliver(String text) {
        recent.add(stream, text);
        inJvmCrashReport |= text.startsWith("# A fatal error has been detected by the Java Runtime Environment");
        if (inJvmCrashReport) {
            heldHash = false;
            if (!text.startsWith("#") && !text.isBlank()) {
                sink.accept(new ModuleOutput(stream, text));
            }
            return;
        }
        releaseHeldHash();
        if (text.equals("#")) {
            heldHash = true;
        } else {
            sink.accept(new ModuleOutput(stream, text));
        }
    }

    /** A held "#" that no banner followed was the module's own line. */
    private void releaseHeldHash() {
        if (heldHash) {
            heldHash = false;
            sink.accept(new ModuleOutput(stream, "#"));
        }
    }

    /** Waits until the marker of request {@code id} has passed, the stream ended, or the time is up. */
    synchronized void awaitSync(long id, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (syncedId < id && !ended) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }

    /**
     * Waits until the stream has ended, or has been quiet for {@code quietMillis}: once the worker
     * is dead, a child it forked may hold the pipe open, so its end may never come. Quiet counts
     * from this call at the earliest: a pump that a loaded machine has not run since the worker's
     * last lines (its abort message) must get the time to read them.
     */
    synchronized void awaitEndOrQuiet(long quietMillis, long timeoutMillis) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeoutMillis * 1_000_000;
        while (!ended) {
            long now = System.nanoTime();
            long quietFor = (now - Math.max(lastReadNanos, start)) / 1_000_000;
            if (quietFor >= quietMillis || now >= deadline) {
                return;
            }
            wait(Math.max(1, Math.min(quietMillis - quietFor, (deadline - now) / 1_000_000)));
        }
    }
}
