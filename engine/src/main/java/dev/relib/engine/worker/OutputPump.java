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
 * everything printed before a response has been shown.
 */
final class OutputPump implements Runnable {

    private final InputStream in;
    private final ModuleOutput.Stream stream;
    private final Consumer<ModuleOutput> sink;
    private final RecentLines recent;
    private long syncedId = -1;
    private boolean ended;
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

    @Override
    public void run() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b; (b = in.read()) >= 0; ) {
                if (b == '\n') {
                    emit(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
            if (line.size() > 0) {
                emit(line.toString(StandardCharsets.UTF_8));
            }
            releaseHeldHash();
        } catch (IOException e) {
            // The worker is gone; what it printed until then has been passed on.
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    private void emit(String text) {
        int marker = text.indexOf(WorkerMain.StdioSync.MARKER);
        if (marker < 0) {
            deliver(text);
            return;
        }
        if (marker > 0) {
            deliver(text.substring(0, marker));
        }
        releaseHeldHash();
        long id = Long.parseLong(text.substring(marker + WorkerMain.StdioSync.MARKER.length()).strip());
        synchronized (this) {
            syncedId = id;
            notifyAll();
        }
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

    synchronized void awaitEnd(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!ended) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }
}
