package dev.relib.engine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.EngineException;
import dev.relib.engine.error.EngineFailure;
import dev.relib.engine.error.ReportedError;
import dev.relib.engine.error.WorkerCrash;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.CrashReport;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.ModuleOutput;
import dev.relib.engine.model.RestartReport;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithWorkerEngine;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class WorkerEngineTest extends WithWorkerEngine {

    private CallResult call(String module, String symbol, String signature, String... arguments) {
        return engine.call(new CallRequest(ModuleRef.of(module), symbol, signature, List.of(arguments), 1, null));
    }

    private CallResult callWithTimeout(String symbol, String signature, Duration timeout) {
        return engine.call(new CallRequest(ModuleRef.of("crashy"), symbol, signature, List.of(), 1, timeout));
    }

    @Test
    void servesTheSameRecordsAsTheInProcessEngineFromAnotherProcess() {
        ModuleInfo sheep = engine.load(LoadRequest.of(SampleModules.rust("sheep")));
        engine.load(LoadRequest.of(SampleModules.rust("calc")));

        assertThat(engine.workerPid()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(sheep.name()).isEqualTo("sheep");
        assertThat(engine.modules()).extracting(ModuleInfo::name).containsExactly("sheep", "calc");
        assertThat(call("sheep", "count_sheep", "(u32) -> &str", "3").display()).isEqualTo("\"Many\"");
        assertThat(call("calc", "add", "(i32, i32) -> i32", "2", "3").value()).isEqualTo(5L);
        assertThat(call("calc", "max_u64", "() -> u64").value()).hasToString("18446744073709551615");
        assertThat(engine.exports(ModuleRef.of("sheep"))).anyMatch(e -> e.symbol().equals("count_sheep"));
        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.of("sheep")));
        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
    }

    @Test
    void errorsKeepTheirCodesAndMessages() {
        assertThatThrownBy(() -> engine.load(LoadRequest.of(java.nio.file.Path.of("no/such/lib.so"))))
                .isInstanceOf(ReportedError.class)
                .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo("load.not_found"))
                .hasMessageContaining("no such file");
        engine.load(LoadRequest.of(SampleModules.rust("sheep")));
        assertThatThrownBy(() -> call("sheep", "count_sheep", "(u8) -> &str", "300"))
                .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo("call.bad_argument"));
    }

    @Test
    void moduleOutputArrivesBeforeTheAnswerToTheCallThatPrintedIt() {
        engine.load(LoadRequest.of(SampleModules.rust("crashy")));

        CallResult result = call("crashy", "say_hello", "() -> u32");
        List<ModuleOutput> seen = List.copyOf(output);
        call("crashy", "print_partial", "()");

        assertThat(result.value()).isEqualTo(2L);
        // Both lines are shown before the answer; stdout and stderr are two pipes, so not ordered between them.
        assertThat(seen).containsExactlyInAnyOrder(
                new ModuleOutput(ModuleOutput.Stream.STDOUT, "hello from crashy on stdout"),
                new ModuleOutput(ModuleOutput.Stream.STDERR, "hello from crashy on stderr"));
        assertThat(output).contains(new ModuleOutput(ModuleOutput.Stream.STDOUT, "no newline here"));
    }

    @Test
    void aSegfaultKillsOnlyTheWorkerAndRestartBringsTheModulesBack() {
        engine.load(LoadRequest.of(SampleModules.rust("sheep")));
        engine.load(LoadRequest.of(SampleModules.rust("crashy")));
        call("sheep", "count_sheep", "(u32) -> &str", "1");
        long firstPid = engine.workerPid();

        assertThatThrownBy(() -> call("crashy", "crash_null", "() -> u32"))
                .isInstanceOfSatisfying(WorkerCrash.class, crash -> {
                    CrashReport report = crash.report();
                    assertThat(report.signal()).isEqualTo("SIGSEGV");
                    assertThat(report.cause()).contains("SIGSEGV in native code").contains("crash_null");
                    assertThat(report.request()).isEqualTo("call crashy.crash_null() -> u32");
                    assertThat(report.lastOutput()).as("the JVM's banner is summarised, not repeated")
                            .noneMatch(line -> line.contains("# A fatal error has been detected"));
                    assertThat(crash.getMessage()).contains("restart");
                });
        assertThatThrownBy(() -> engine.modules()).isInstanceOf(EngineFailure.class)
                .hasMessageContaining("restart");
        assertThat(output).as("the JVM's fatal-error report is not module output")
                .noneMatch(line -> line.text().startsWith("#"));

        RestartReport restarted = engine.restart();

        assertThat(restarted.workerPid()).isNotEqualTo(firstPid);
        assertThat(restarted.failed()).isEmpty();
        assertThat(restarted.reloaded()).extracting(ModuleInfo::name).containsExactly("sheep", "crashy");
        assertThat(call("sheep", "count_sheep", null, "3").value())
                .as("the signature remembered before the crash").isEqualTo("Many");
    }

    @Test
    void anAbortIsReportedAsSigabrt() {
        engine.load(LoadRequest.of(SampleModules.rust("crashy")));

        assertThatThrownBy(() -> call("crashy", "crash_abort", "()"))
                .isInstanceOfSatisfying(WorkerCrash.class, crash ->
                        assertThat(crash.report().signal()).isEqualTo("SIGABRT"));
    }

    @Test
    void aPanicAcrossExternCAbortsAndThePanicMessageIsReported() {
        engine.load(LoadRequest.of(SampleModules.rust("crashy")));

        assertThatThrownBy(() -> call("crashy", "panic_across_ffi", "(u32) -> u32", "7"))
                .isInstanceOfSatisfying(WorkerCrash.class, crash -> {
                    assertThat(crash.report().signal()).isEqualTo("SIGABRT");
                    assertThat(crash.report().cause()).as(crash.report().lastOutput().toString()).contains("crashy refuses 7");
                    assertThat(crash.report().lastOutput()).hasSizeLessThanOrEqualTo(20).last().asString().contains("aborting");
                });
    }

    @Test
    void aLoopOrADeadlockPastItsTimeoutEndsTheWorker() {
        engine.load(LoadRequest.of(SampleModules.rust("crashy")));

        assertThatThrownBy(() -> callWithTimeout("spin_forever", "()", Duration.ofMillis(500)))
                .isInstanceOfSatisfying(WorkerCrash.class, crash -> {
                    assertThat(crash.report().cause()).contains("still running after 500 ms");
                    assertThat(crash.report().request()).startsWith("call crashy.spin_forever");
                });

        engine.restart();
        assertThatThrownBy(() -> callWithTimeout("deadlock", "()", Duration.ofMillis(500)))
                .isInstanceOf(WorkerCrash.class);
        assertThat(engine.restart().reloaded()).extracting(ModuleInfo::name).containsExactly("crashy");
    }
}
