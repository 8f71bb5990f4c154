package dev.relib.shell;

import dev.relib.engine.Engine;
import dev.relib.engine.InProcessEngine;
import dev.relib.engine.model.ModuleOutput;
import dev.relib.engine.worker.WorkerEngine;
import java.util.function.Consumer;

/** The one place the shell creates an engine. */
public final class EngineFactory {

    /** Where the engine runs. */
    public enum Mode {
        /** In a worker JVM the shell drives: a crashing module ends only the worker (the default). */
        WORKER,
        /** Inside the shell's JVM ({@code --in-process}): a crashing module takes the shell with it. */
        IN_PROCESS
    }

    private EngineFactory() {
    }

    /**
     * @param moduleOutput receives each line a module prints in the worker, before the answer to
     *                     the request that printed it; in-process, modules print straight to the terminal
     */
    public static Engine create(Mode mode, Consumer<ModuleOutput> moduleOutput) {
        return switch (mode) {
            case WORKER -> WorkerEngine.start(moduleOutput);
            case IN_PROCESS -> InProcessEngine.start();
        };
    }

    /** How {@link Main} starts engines: {@link #create} in real use, something else in tests. */
    @FunctionalInterface
    public interface Starter {
        Engine start(Mode mode, Consumer<ModuleOutput> moduleOutput);
    }
}
