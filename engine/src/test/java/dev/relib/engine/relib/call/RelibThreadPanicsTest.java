package dev.relib.engine.relib.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.error.CallError;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.PanicRecord;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithInProcessEngine;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A relib module's own threads panic: listed as the module's, and an export's panic is still the export's, once. */
@Timeout(60)
class RelibThreadPanicsTest extends WithInProcessEngine {

    @Test
    void aWorkerThreadsPanicIsListedWithNoExport() {
        engine.load(LoadRequest.of(SampleModules.rust("relib_fx_thread_panic")));

        assertThat(engine.call(CallRequest.of("Exports::worker_panics", "(u32) -> u32", "4")).display()).isEqualTo("1");

        assertThat(engine.panics(null)).singleElement().satisfies(panic -> {
            assertThat(panic.export()).isNull();
            assertThat(panic.thread()).isEqualTo("fx-worker");
            assertThat(panic.message()).isEqualTo("fx-worker failed on 4");
            assertThat(panic.file()).endsWith("thread-panic/src/lib.rs");
        });
    }

    @Test
    void anExportsPanicAfterItsThreadsIsTheExportsAndEachIsListedOnce() {
        engine.load(LoadRequest.of(SampleModules.rust("relib_fx_thread_panic")));

        assertThatThrownBy(() -> engine.call(CallRequest.of("Exports::worker_then_export_panics", "(u32)", "5")))
                .isInstanceOf(CallError.Panicked.class)
                .hasMessageContaining("the export gave up after its worker");

        List<PanicRecord> panics = engine.panics(null);
        assertThat(panics).extracting(PanicRecord::message, PanicRecord::export).containsExactly(
                org.assertj.core.groups.Tuple.tuple("fx-worker failed on 5", null),
                org.assertj.core.groups.Tuple.tuple("the export gave up after its worker", "Exports::worker_then_export_panics"));
        assertThat(panics).extracting(PanicRecord::sequence).containsExactly(1L, 2L);
    }
}
