package dev.relib.engine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleOutput;
import dev.relib.engine.model.PanicRecord;
import dev.relib.engine.model.ReloadRequest;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithWorkerEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A module thread's panic in the worker: listed by panics, with its generation, and its text still relayed. */
@Timeout(90)
class WorkerThreadPanicsTest extends WithWorkerEngine {

    @Test
    void aPanicOnAModuleThreadTravelsAsARecordWithItsGeneration() {
        engine.load(LoadRequest.of(SampleModules.rust("threads")));
        engine.call(CallRequest.of("panic_on_thread", "(u32) -> u32", "5"));
        engine.reload(ReloadRequest.of(ModuleRef.implied()));
        engine.call(CallRequest.of("panic_on_thread", "(u32) -> u32", "6"));

        assertThat(engine.panics(null)).extracting(PanicRecord::message, PanicRecord::generation, PanicRecord::thread)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("worker gave up on item 5", 1, "relib-panicker"),
                        org.assertj.core.groups.Tuple.tuple("worker gave up on item 6", 2, "relib-panicker"));
        assertThat(engine.panics(null)).allSatisfy(panic -> assertThat(panic.export()).isNull());
        assertThat(output).extracting(ModuleOutput::text).contains("worker gave up on item 5");
    }
}
