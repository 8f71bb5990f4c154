package dev.relib.shell.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.model.PanicRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A panic read from std's text has no raw frames: its generation and std's backtrace are what the view shows. */
class PanicViewTest {

    private static PanicRecord threadPanic(int generation, String backtrace) {
        return new PanicRecord("th", generation, 3, "worker gave up on item 7", "threads/src/lib.rs", 84, 17, 4711,
                "relib-panicker", null, List.of(), backtrace, Instant.parse("2026-12-02T15:00:00Z"), List.of(), List.of());
    }

    @Test
    void showsTheGenerationAndStdsBacktraceText() {
        String text = PanicView.describe(2, threadPanic(2, "   0: __rustc::rust_begin_unwind\n   2: threads::panic_on_thread::{{closure}}\n"),
                List.of(), false);

        assertThat(text).isEqualTo("""
                [2] th (generation 2) panic #3 on a module thread, thread 'relib-panicker' (tid 4711), at 2026-12-02T15:00:00Z
                  worker gave up on item 7
                  at threads/src/lib.rs:84:17
                  backtrace (as std printed it):
                     0: __rustc::rust_begin_unwind
                     2: threads::panic_on_thread::{{closure}}""");
    }

    @Test
    void theFirstGenerationIsNotNamedAndNoBacktraceMeansNoSection() {
        String text = PanicView.describe(1, threadPanic(1, null), List.of(), false);

        assertThat(text).startsWith("[1] th panic #3 on a module thread").doesNotContain("backtrace");
    }
}
