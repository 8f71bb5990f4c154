package dev.relib.engine.testing;

import dev.relib.engine.model.ModuleOutput;
import dev.relib.engine.worker.WorkerEngine;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh worker engine for each test, with what its modules printed; closed after the test. */
public abstract class WithWorkerEngine {

    protected final List<ModuleOutput> output = new CopyOnWriteArrayList<>();
    protected WorkerEngine engine;

    @BeforeEach
    void startWorker() {
        engine = WorkerEngine.start(output::add);
    }

    @AfterEach
    void closeWorker() {
        engine.close();
    }
}
