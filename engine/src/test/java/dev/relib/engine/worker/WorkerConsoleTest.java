package dev.relib.engine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.WorkerCrash;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleOutput;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithWorkerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker and the console: its own session (the terminal's Ctrl-C never reaches it), ended on
 * request while a call runs in it, C stdout in order with stderr, and a crash report that shows
 * the crashing request's lines only.
 */
@Timeout(120)
class WorkerConsoleTest extends WithWorkerEngine {

    private static final Path CONSOLE = SampleModules.c("console");
    private static final Path CRASHY = SampleModules.rust("crashy");

    private CallResult call(String module, String signature, String... arguments) {
        String symbol = signature.substring(0, signature.indexOf('('));
        return engine.call(new CallRequest(ModuleRef.of(module), symbol, signature.substring(symbol.length()),
                List.of(arguments), 1, null));
    }

    /** Field 6 of /proc/PID/stat (after the parenthesised command name): the session id. */
    private static long sessionOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]);
    }

    @Test
    void theWorkerLeadsASessionOfItsOwnSoTheTerminalsCtrlCNeverReachesIt() throws Exception {
        long worker = engine.workerPid();

        assertThat(sessionOf(worker)).as("the worker is its session's leader").isEqualTo(worker);
        assertThat(sessionOf(worker)).isNotEqualTo(sessionOf(ProcessHandle.current().pid()));
    }

    @Test
    void endingTheRunningRequestFailsTheCallAsInterruptedAndRestartBringsTheModuleBack() throws Exception {
        engine.load(LoadRequest.of(CRASHY));
        long worker = engine.workerPid();
        CompletableFuture<CallResult> spinning = CompletableFuture.supplyAsync(() -> call("crashy", "spin_forever()"));
        awaitBusy(worker);

        assertThat(engine.endRunningRequest()).isTrue();

        assertThatThrownBy(() -> spinning.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(WorkerCrash.class, crash -> {
                    assertThat(crash.code()).isEqualTo(WorkerCrash.INTERRUPTED);
                    assertThat(crash.report().request()).isEqualTo("call crashy.spin_forever()");
                    assertThat(crash.report().cause()).contains("Ctrl-C");
                });
        assertThat(ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(engine.restart().reloaded()).extracting(m -> m.name()).containsExactly("crashy");
        assertThat(call("crashy", "say_hello() -> u32").value()).isEqualTo(2L);
    }

    @Test
    void restartGivesModulesBackTheIdsTheyHadAndNeverReusesOne() {
        engine.load(LoadRequest.of(CONSOLE));
        engine.load(LoadRequest.of(CRASHY));
        engine.unload(new UnloadRequest(ModuleRef.of("console"), false, false));

        assertThat(engine.restart().reloaded()).extracting(m -> m.name() + " #" + m.id()).containsExactly("crashy #2");
        assertThat(engine.load(LoadRequest.of(CONSOLE)).id()).isEqualTo(3);
        assertThat(call("#2", "say_hello() -> u32").value()).isEqualTo(2L);
    }

    @Test
    void cStdoutLinesKeepTheirPlaceAmongStderrLines() {
        engine.load(LoadRequest.of(CONSOLE));

        call("console", "interleave(u32)", "6");

        assertThat(output).extracting(ModuleOutput::text).containsExactly(
                "line 1 on stdout", "line 2 on stderr", "line 3 on stdout", "line 4 on stderr",
                "line 5 on stdout", "line 6 on stderr");
    }

    @Test
    void aCrashReportShowsTheLinesOfTheRequestThatCrashedNotAnotherModulesEarlierOnes() {
        engine.load(LoadRequest.of(CONSOLE));
        engine.load(LoadRequest.of(CRASHY));
        call("console", "say(u32)", "7");
        assertThat(output).extracting(ModuleOutput::text).contains("console says 7");

        assertThatThrownBy(() -> call("crashy", "panic_across_ffi(u32) -> u32", "3"))
                .isInstanceOfSatisfying(WorkerCrash.class, crash -> {
                    assertThat(crash.report().cause()).contains("crashy refuses 3");
                    assertThat(crash.report().lastOutput()).as("the panic's backtrace").isNotEmpty();
                    assertThat(crash.report().lastOutput()).noneMatch(line -> line.contains("console says"));
                });
    }

    /** Until the worker has used CPU time for a while: the spinning call has started in it. */
    private static void awaitBusy(long pid) throws Exception {
        long start = cpuTicks(pid);
        while (cpuTicks(pid) - start < 20) {
            Thread.sleep(50);
        }
    }

    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
