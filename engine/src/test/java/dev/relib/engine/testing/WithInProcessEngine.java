package dev.relib.engine.testing;

import dev.relib.engine.InProcessEngine;
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
}
