package dev.relib.engine.relib.call;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The panic hook's text as rustc versions print it. */
class PanicOutputTest {

    @Test
    void readsTheLastPanicWithThreadIdAndMultiLineMessage() {
        String stderr = """
                [module] main called
                thread 'main' (4711) panicked at src/first.rs:1:2:
                first
                thread '<unnamed>' (4712) panicked at testing/module/src/lib.rs:17:9:
                assertion `left == right` failed
                  left: 1
                 right: 2
                note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
                """;

        PanicOutput panic = PanicOutput.lastIn(stderr).orElseThrow();

        assertThat(panic.thread()).isEqualTo("<unnamed>");
        assertThat(panic.threadId()).isEqualTo(4712);
        assertThat(panic.file()).isEqualTo("testing/module/src/lib.rs");
        assertThat(panic.line()).isEqualTo(17);
        assertThat(panic.column()).isEqualTo(9);
        assertThat(panic.message()).isEqualTo("assertion `left == right` failed\n  left: 1\n right: 2");
        assertThat(panic.backtrace()).isNull();
    }

    @Test
    void theEmptyLineBeforeTheNextHeaderIsNotPartOfAMessage() {
        // Without RUST_BACKTRACE the note comes after the first panic only; each header has an empty line before it.
        String stderr = """

                thread 'w' (1) panicked at src/lib.rs:84:17:
                worker gave up on item 1
                note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

                thread 'w' (2) panicked at src/lib.rs:84:17:
                worker gave up on item 2

                thread 'w' (3) panicked at src/lib.rs:84:17:
                line one

                line three

                """;

        assertThat(PanicOutput.allIn(stderr)).extracting(PanicOutput::message)
                .containsExactly("worker gave up on item 1", "worker gave up on item 2", "line one\n\nline three");
    }

    @Test
    void readsTheOlderFormatsAndABacktrace() {
        assertThat(PanicOutput.lastIn("thread 'main' panicked at 'boom', src/lib.rs:3:4\n").orElseThrow())
                .extracting(PanicOutput::message, PanicOutput::line).containsExactly("boom", 3);
        PanicOutput withTrace = PanicOutput.lastIn("""
                thread 'main' panicked at src/lib.rs:5:6:
                expected panic
                stack backtrace:
                   0: rust_begin_unwind
                   1: module::main
                note: Some details are omitted
                """).orElseThrow();
        assertThat(withTrace.message()).isEqualTo("expected panic");
        assertThat(withTrace.backtrace()).contains("0: rust_begin_unwind", "1: module::main");
    }

    @Test
    void findsNothingInOtherOutput() {
        assertThat(PanicOutput.lastIn("[module] hello\nthread list: none\n")).isEmpty();
    }

    @Test
    void readsEveryPanicInOrderEachWithItsOwnBacktraceOnly() {
        String stderr = """
                thread 'fx-worker' (10) panicked at src/lib.rs:3:5:
                first
                note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
                some output
                thread 'main' (11) panicked at src/lib.rs:9:1:
                second
                stack backtrace:
                   0: __rustc::rust_begin_unwind
                """;

        var panics = PanicOutput.allIn(stderr);

        assertThat(panics).extracting(PanicOutput::thread, PanicOutput::message, PanicOutput::line).containsExactly(
                org.assertj.core.groups.Tuple.tuple("fx-worker", "first", 3),
                org.assertj.core.groups.Tuple.tuple("main", "second", 9));
        assertThat(panics.get(0).backtrace()).as("not the later panic's").isNull();
        assertThat(panics.get(1).backtrace()).contains("rust_begin_unwind");
    }

    @Test
    void aHeaderIsOnlyStdsExactFormat() {
        assertThat(PanicOutput.header("thread 'w' (12) panicked at src/lib.rs:4:2:")).hasValueSatisfying(p -> {
            assertThat(p.thread()).isEqualTo("w");
            assertThat(p.threadId()).isEqualTo(12);
            assertThat(p.column()).isEqualTo(2);
        });
        assertThat(PanicOutput.header("thread 'w' panicked at src/lib.rs:4:2:")).isPresent();
        assertThat(PanicOutput.header("thread 'w' panicked at a bad moment")).isEmpty();
        assertThat(PanicOutput.header("log: thread 'w' panicked at src/lib.rs:4:2:")).isEmpty();
        assertThat(PanicOutput.header("thread 'w' panicked at src/lib.rs:x:2:")).isEmpty();
        assertThat(PanicOutput.allIn("thread 'w' panicked at a bad moment\n")).isEmpty();
    }
}
