package dev.relib.shell;

import dev.relib.engine.Engine;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The session's engine, started on first use so that {@code help}, {@code --version} and
 * completion never pay for (or fail on) starting one.
 */
public final class EngineHandle implements Supplier<Engine>, AutoCloseable {

    private final Supplier<Engine> starter;
    private Engine engine;

    public EngineHandle(Supplier<Engine> starter) {
        this.starter = starter;
    }

    @Override
    public synchronized Engine get() {
        if (engine == null) {
            engine = starter.get();
        }
        return engine;
    }

    /** The engine if a command started it; completion asks this and so never starts one. */
    public synchronized Optional<Engine> ifStarted() {
        return Optional.ofNullable(engine);
    }

    /** Closes the engine if it was started, which unloads whatever is still loaded. */
    @Override
    public synchronized void close() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
