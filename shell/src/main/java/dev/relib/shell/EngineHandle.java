package dev.relib.shell;

import dev.relib.engine.Engine;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The session's engine, started on first use so that {@code help}, {@code --version} and
 * completion never pay for (or fail on) starting one. A script that will need it starts it in the
 * background ({@link #startInBackground}) while the shell gets on with its own start-up: the worker
 * JVM's start was most of a short script's time, and the shell's was spent waiting for it.
 */
public final class EngineHandle implements Supplier<Engine>, AutoCloseable {

    private final Supplier<Engine> starter;
    private CompletableFuture<Engine> starting;
    private Engine engine;

    public EngineHandle(Supplier<Engine> starter) {
        this.starter = starter;
    }

    /** Starts the engine on a thread of its own unless it is started or starting; {@link #get} waits for it. */
    public synchronized void startInBackground() {
        if (engine == null && starting == null) {
            starting = CompletableFuture.supplyAsync(starter, runnable -> {
                Thread thread = new Thread(runnable, "relib-engine-start");
                thread.setDaemon(true);
                thread.start();
            });
        }
    }

    @Override
    public synchronized Engine get() {
        if (engine == null) {
            engine = starting == null ? starter.get() : awaitStart();
            starting = null;
        }
        return engine;
    }

    /** The started engine, or the failure to start it as the starter threw it. */
    private Engine awaitStart() {
        try {
            return starting.join();
        } catch (CompletionException e) {
            starting = null;
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** The engine if a command started it; completion asks this and so never starts (or waits for) one. */
    public synchronized Optional<Engine> ifStarted() {
        if (engine == null && starting != null && starting.isDone() && !starting.isCompletedExceptionally()) {
            engine = starting.join();
            starting = null;
        }
        return Optional.ofNullable(engine);
    }

    /** Closes the engine if it was started (waiting for a start underway), which unloads whatever is still loaded. */
    @Override
    public synchronized void close() {
        if (engine == null && starting != null) {
            try {
                engine = starting.join();
            } catch (CompletionException e) {
                // It never started: nothing to close, and no command asked for it to report the failure.
            }
            starting = null;
        }
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
