package dev.relib.engine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.WorkerCrash;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleOutput;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithWorkerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Misbehaving modules (libfaults.so) end or stop only the worker, and are reported as what they did. */
@Timeout(120)
class WorkerRobustnessTest extends WithWorkerEngine {

    private static final Path FAULTS = SampleModules.c("faults");

    private CallResult call(String signature, String... arguments) {
        String symbol = signature.substring(0, signature.indexOf('('));
        return engine.call(new CallRequest(ModuleRef.of("faults"), symbol, signature.substring(symbol.length()),
                List.of(arguments), 1, null));
    }

    @Test
    void aWorkerStoppedBySignalIsReportedWithinSecondsNotWaitedOnForever() {
        engine.load(LoadRequest.of(FAULTS));
        long started = System.nanoTime();

        assertThatThrownBy(() -> call("raise_sigstop()"))
                .isInstanceOfSatisfying(WorkerCrash.class, crash -> {
                    assertThat(crash.code()).isEqualTo("worker.stopped");
                    assertThat(crash.report().cause()).contains("stopped by a signal", "no debugger attached");
                    assertThat(crash.report().request()).isEqualTo("call faults.raise_sigstop()");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(engine.restart().reloaded()).hasSize(1);
    }

    @Test
    void aLoadPastItsDeadlineEndsTheWorkerWithLoadTimeout() {
        Path slow = SampleModules.c("slow_init");
        long started = System.nanoTime();

        assertThatThrownBy(() -> engine.load(LoadRequest.of(slow).withTimeout(Duration.ofMillis(1500))))
                .isInstanceOfSatisfying(WorkerCrash.class, crash -> {
                    assertThat(crash.code()).isEqualTo("load.timeout");
                    assertThat(crash.report().cause()).contains("still running after 1500 ms");
                    assertThat(crash.report().request()).isEqualTo("load " + slow);
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        engine.restart();
        assertThat(engine.modules()).as("the load that timed out is not replayed").isEmpty();
    }

    @Test
    void aForkedChildThatReturnsIntoTheWorkerEndsAndTheWorkerGoesOn() throws Exception {
        engine.load(LoadRequest.of(FAULTS));

        long child = ((Number) call("fork_and_return() -> i32").value()).longValue();

        assertThat(child).as("the parent's return value: the child's pid").isPositive();
        awaitGone(child);
        assertThat(output).anyMatch(line -> line.stream() == ModuleOutput.Stream.STDERR
                && line.text().contains("a process the module forked (pid " + child) && line.text().contains("was ended"));
        assertThat(call("segfault_free_answer() -> i32").value()).isEqualTo(7L);
    }

    @Test
    void aCrashIsReportedAtOnceWhileAChildHoldsTheWorkersDescriptors() {
        engine.load(LoadRequest.of(FAULTS));
        long daemon = ((Number) call("spawn_daemon() -> i32").value()).longValue();
        call("run_sleeper() -> i32");
        long started = System.nanoTime();

        try {
            assertThatThrownBy(() -> call("segfault() -> u32"))
                    .isInstanceOfSatisfying(WorkerCrash.class, crash -> assertThat(crash.report().signal()).isEqualTo("SIGSEGV"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not when the children let go")
                    .isLessThan(Duration.ofSeconds(10));
        } finally {
            ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aSegfaultAfterClosingStdoutAndStderrIsStillASegfaultAtItsFrame() {
        engine.load(LoadRequest.of(FAULTS));

        assertThatThrownBy(() -> call("close_stdio_then_segv() -> u32"))
                .isInstanceOfSatisfying(WorkerCrash.class, crash -> {
                    assertThat(crash.report().signal()).isEqualTo("SIGSEGV");
                    assertThat(crash.report().cause()).contains("SIGSEGV in native code", "close_stdio_then_segv");
                    assertThat(crash.report().faultAddress()).isEqualTo("0x0000000000000000");
                    assertThat(crash.report().nativeFrames()).anyMatch(f -> f.contains("close_stdio_then_segv"));
                });
    }

    @Test
    void outputThatImitatesTheSyncMarkerIsModuleOutputAndNothingIsLost() {
        engine.load(LoadRequest.of(FAULTS));

        call("print_fake_marker()");
        call("print_bytes(u64)", "200000");
        call("print_bytes(u64)", "3");

        assertThat(output).extracting(ModuleOutput::text)
                .contains("before\u0000relib-sync:not-a-number", "\u0000relib-sync:99999", "abc");
        List<String> pieces = output.stream().map(ModuleOutput::text).filter(t -> t.length() > 100 && t.matches("[a-z]+"))
                .toList();
        assertThat(pieces).as("one line of 200,000 bytes, passed on in pieces of at most 64 KiB")
                .allMatch(p -> p.length() <= OutputPump.MAX_LINE);
        assertThat(pieces.stream().mapToLong(String::length).sum()).isEqualTo(200_000);
    }

    @Test
    void aModuleThatUnloadedItselfIsReportedGoneAndNothingOfItIsTouched() {
        engine.load(LoadRequest.of(FAULTS));

        assertThat(call("unload_myself() -> i32").value()).isEqualTo(0L);
        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.of("faults")));

        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(report.reasons()).singleElement().asString().contains("unloaded itself");
        assertThat(report.steps()).extracting(UnloadStep::name, UnloadStep::outcome)
                .contains(org.assertj.core.groups.Tuple.tuple("dlclose", UnloadStep.Outcome.SKIPPED),
                        org.assertj.core.groups.Tuple.tuple("final_check", UnloadStep.Outcome.PASSED));
        assertThat(engine.modules()).isEmpty();
    }

    @Test
    void aCrashInADestructorDuringTheFinalUnloadIsReportedWithItsModule() {
        engine.load(LoadRequest.of(FAULTS));
        call("crash_at_unload()");

        assertThatThrownBy(engine::close)
                .isInstanceOfSatisfying(WorkerCrash.class, crash -> {
                    assertThat(crash.report().request()).isEqualTo("the final unload of faults at session end");
                    assertThat(crash.report().signal()).isEqualTo("SIGSEGV");
                    assertThat(crash.report().cause()).contains("faults_fini");
                });
    }

    @Test
    void aDeadWorkersDirectoryAndItsShadowCopiesAreRemoved() throws Exception {
        engine.load(LoadRequest.of(FAULTS));
        Path directory = engine.workerDirectory();
        try (var entries = Files.walk(directory)) {
            assertThat(entries.map(Path::getFileName).map(Path::toString)).as("shadow copies live in it")
                    .contains("libfaults.so");
        }

        assertThatThrownBy(() -> call("segfault() -> u32")).isInstanceOf(WorkerCrash.class);
        engine.restart();

        assertThat(directory).doesNotExist();
        assertThat(engine.workerDirectory()).exists();
    }

    /** Ended: gone, or a zombie until its parent (the worker, which did not start it) waits for it. */
    private static void awaitGone(long pid) throws InterruptedException {
        for (int i = 0; i < 300 && running(pid); i++) {
            Thread.sleep(50);
        }
        assertThat(running(pid)).as("child " + pid + " ended: " + ProcessState.of(pid)).isFalse();
    }

    private static boolean running(long pid) {
        ProcessState state = ProcessState.of(pid);
        return state != ProcessState.GONE && state.state() != 'Z';
    }
}
