package dev.relib.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.PanicRecord;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithInProcessEngine;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A plain Rust module's own thread panics: std's default hook prints it, {@code panics} lists it. */
@Timeout(60)
class ThreadPanicsTest extends WithInProcessEngine {

    private void panicOnThread(int item) {
        assertThat(engine.call(CallRequest.of("panic_on_thread", "(u32) -> u32", String.valueOf(item))).display())
                .isEqualTo("1");
    }

    @Test
    void listsAPanicOnAThreadTheModuleStarted() {
        engine.load(LoadRequest.of(SampleModules.rust("threads")));

        panicOnThread(7);

        List<PanicRecord> panics = engine.panics(null);
        assertThat(panics).singleElement().satisfies(panic -> {
            assertThat(panic.module()).isEqualTo("threads");
            assertThat(panic.generation()).isEqualTo(1);
            assertThat(panic.export()).isNull();
            assertThat(panic.thread()).isEqualTo("relib-panicker");
            assertThat(panic.threadId()).isPositive();
            assertThat(panic.message()).isEqualTo("worker gave up on item 7");
            assertThat(panic.file()).endsWith("threads/src/lib.rs");
            assertThat(panic.line()).isPositive();
            assertThat(panic.column()).isPositive();
        });
    }

    @Test
    void listsEachPanicOnceInOrderAcrossLooks() {
        engine.load(LoadRequest.of(SampleModules.rust("threads")));

        panicOnThread(1);
        assertThat(engine.panics(null)).hasSize(1);
        panicOnThread(2);
        panicOnThread(3);

        assertThat(engine.panics(null)).extracting(PanicRecord::message, PanicRecord::sequence).containsExactly(
                org.assertj.core.groups.Tuple.tuple("worker gave up on item 1", 1L),
                org.assertj.core.groups.Tuple.tuple("worker gave up on item 2", 2L),
                org.assertj.core.groups.Tuple.tuple("worker gave up on item 3", 3L));
    }

    @Test
    void outputThatOnlyResemblesAPanicIsNotOne() {
        engine.load(LoadRequest.of(SampleModules.rust("threads")));

        engine.call(CallRequest.of("print_panic_lookalikes", "()"));

        assertThat(engine.panics(null)).isEmpty();
    }

    @Test
    void aPanicNobodyAskedAboutBeforeUnloadStaysListed() {
        engine.load(LoadRequest.of(SampleModules.rust("threads")));
        panicOnThread(9);

        engine.unload(new UnloadRequest(ModuleRef.implied(), false, false));

        assertThat(engine.panics(null)).extracting(PanicRecord::message).containsExactly("worker gave up on item 9");
    }

    @Test
    void anUntrackedModulesStderrIsNotKeptSoNothingIsListed() {
        engine.load(new LoadRequest(SampleModules.rust("threads"), null, true, false));

        panicOnThread(4);

        assertThat(engine.panics(null)).isEmpty();
    }
}
