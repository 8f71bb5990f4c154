package dev.relib.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.InProcessEngine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.model.ModuleThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh in-process engine for each test, closed after it (which unloads what the test left). */
public abstract class WithInProcessEngine {

    protected InProcessEngine engine;

    @BeforeEach
    void startEngine() {
        engine = InProcessEngine.start();
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    /** Waits (10 s at most) until none of the implied module's threads runs. */
    protected void awaitNoRunningThreads() {
        long deadline = System.currentTimeMillis() + 10_000;
        while (engine.threads(ModuleRef.implied()).threads().stream()
                .anyMatch(t -> t.state() == ModuleThread.State.RUNNING)) {
            assertThat(System.currentTimeMillis()).as("the module's threads end").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
