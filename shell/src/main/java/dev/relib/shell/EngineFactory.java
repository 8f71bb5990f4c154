package dev.relib.shell;

import dev.relib.engine.Engine;
import dev.relib.engine.InProcessEngine;

/** The one place the shell creates an engine. */
public final class EngineFactory {

    /** Where the engine runs. The worker-process engine will join as the default. */
    public enum Mode {
        /** Inside the shell's JVM: a crashing module takes the shell with it. */
        IN_PROCESS
    }

    private EngineFactory() {
    }

    public static Engine create(Mode mode) {
        return switch (mode) {
            case IN_PROCESS -> InProcessEngine.start();
        };
    }
}
