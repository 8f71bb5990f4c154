package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relib.engine.worker.WorkerEngine;
import dev.relib.shell.EngineFactory;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.EngineHandle;
import dev.relib.shell.ExitCode;
import dev.relib.shell.MainRunner;
import dev.relib.shell.MainRunner.Run;
import dev.relib.shell.ModuleOutputRelay;
import dev.relib.shell.Session;
import dev.relib.shell.SessionHarness;
import dev.relib.shell.command.SessionCommands;
import dev.relib.shell.render.Style;
import dev.relib.shell.repl.HistoryFile;
import dev.relib.shell.repl.Repl;
import dev.relib.shell.repl.ShellCompleter;
import dev.relib.shell.repl.TerminalIO;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A module that crashes, aborts, panics across extern "C", loops or deadlocks ends only the worker. */
@Timeout(120)
class WorkerCrashTest {

    private static final String LOAD_CRASHY = "load " + Fixtures.CRASHY;

    @Test
    void aSegfaultInAScriptExitsWithFourAndSaysWhatDied() {
        Run run = MainRunner.run(EngineFactory::create, "", "-c",
                LOAD_CRASHY + "; call crash_null() -> u32; modules");

        assertThat(run.exit()).isEqualTo(ExitCode.CRASHED);
        assertThat(run.err()).startsWith("error: the worker process died during 'call crash_null() -> u32'")
                .contains("signal:  SIGSEGV", "crash_null",
                        "type 'restart' to start a new worker with the same modules")
                .as("the JVM's fatal-error banner is summarised in cause and frame, not repeated")
                .doesNotContain("# A fatal error");
        assertThat(run.out()).contains("loaded crashy").doesNotContain("no modules loaded");
    }

    @Test
    void aSegfaultInJsonIsAWorkerCrashedErrorCarryingTheReport() throws Exception {
        Run run = MainRunner.run(EngineFactory::create, "", "--json", "-c", LOAD_CRASHY + "; call crash_null() -> u32");

        assertThat(run.exit()).isEqualTo(ExitCode.CRASHED);
        JsonNode crash = commandLines(run.out()).get(1);
        assertThat(crash.get("command").asText()).isEqualTo("call crash_null() -> u32");
        assertThat(crash.get("ok").asBoolean()).isFalse();
        JsonNode error = crash.get("error");
        assertThat(error.get("code").asText()).isEqualTo("worker.crashed");
        assertThat(error.get("signal").asText()).isEqualTo("SIGSEGV");
        assertThat(error.get("request").asText()).isEqualTo("call crash_null() -> u32");
        assertThat(error.get("cause").asText()).contains("SIGSEGV in native code");
        assertThat(error.get("lastOutput").isArray()).isTrue();
    }

    /** The REPL over a real line reader: the report, then restart, then a module loaded before the crash. */
    @Test
    void theReplSurvivesACrashAndRestartBringsTheEarlierModulesBack(@TempDir Path dir) throws Exception {
        Path historyFile = HistoryFile.prepare(dir.resolve("relib/history"));
        String input = String.join("\n",
                "load " + Fixtures.SHEEP,
                "sig count_sheep(u32) -> &str",
                LOAD_CRASHY,
                "call crashy.crash_null() -> u32",
                "modules",
                "restart",
                "call sheep.count_sheep 3",
                "history",
                "quit",
                "");
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        ModuleOutputRelay moduleOutput = new ModuleOutputRelay();
        long lastWorker;
        try (EngineHandle engine = new EngineHandle(() -> EngineFactory.create(Mode.WORKER, moduleOutput));
             TerminalIO io = TerminalIO.streams(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                     terminal, new PrintWriter(err, true), historyFile,
                     new ShellCompleter(SessionCommands.model(), engine::ifStarted))) {
            try (Session session = new Session(engine, ReplWithModulesTest.renderer(io, moduleOutput), io.history(),
                    false)) {
                assertThat(new Repl(session, io, Style.plain()).run()).isZero();
                lastWorker = ((WorkerEngine) engine.ifStarted().orElseThrow()).workerPid();
            }
        }
        String out = terminal.toString(StandardCharsets.UTF_8);
        String errors = err.toString();
        assertThat(errors).contains("the worker process died during 'call crashy.crash_null() -> u32'", "SIGSEGV",
                "type 'restart'");
        assertThat(errors).as("the command after the crash").contains("error: the worker process is gone", "restart");
        assertThat(out).contains("started a new worker (pid", "loaded again: sheep (#1), crashy (#2)");
        assertThat(out.substring(out.indexOf("started a new worker"))).as("the signature remembered before the crash")
                .contains("\"Many\"");
        assertThat(out).contains("4  call crashy.crash_null() -> u32", "7  call sheep.count_sheep 3");
        assertThat(ProcessHandle.of(lastWorker).map(p -> p.isAlive()).orElse(false))
                .as("quit ends the worker").isFalse();
    }

    @Test
    void anAbortIsReportedAsSigabrt() {
        Run run = MainRunner.run(EngineFactory::create, "", "-c", LOAD_CRASHY + "; call crash_abort()");

        assertThat(run.exit()).isEqualTo(ExitCode.CRASHED);
        assertThat(run.err()).contains("during 'call crash_abort()'", "signal:  SIGABRT", "aborted the process");
    }

    @Test
    void aPanicAcrossExternCNamesThePanicMessage() {
        Run run = MainRunner.run(EngineFactory::create, "", "-c",
                LOAD_CRASHY + "; call panic_across_ffi(u32) -> u32 7");

        assertThat(run.exit()).isEqualTo(ExitCode.CRASHED);
        assertThat(run.err()).contains("during 'call panic_across_ffi(u32) -> u32 7'", "signal:  SIGABRT")
                .containsPattern("cause: .*panicked at .*crashy refuses 7")
                .contains("last lines of the worker's output:")
                .containsPattern("\\| stderr: .*aborting");
    }

    @Test
    void aLoopPastItsTimeoutAndADeadlockPastTheSessionTimeoutEndTheWorker() {
        try (SessionHarness shell = SessionHarness.human(Mode.WORKER)) {
            shell.run(LOAD_CRASHY);

            assertThat(shell.run("call spin_forever() --timeout 500ms")).isEqualTo(ExitCode.CRASHED);
            assertThat(shell.err.toString()).contains("during 'call spin_forever()", "still running after 500 ms",
                    "signal:  SIGKILL");

            assertThat(shell.run("restart; set timeout 500ms")).isZero();
            shell.clear();
            assertThat(shell.run("call deadlock()")).isEqualTo(ExitCode.CRASHED);
            assertThat(shell.err.toString()).contains("during 'call deadlock()", "still running after 500 ms");

            shell.clear();
            assertThat(shell.run("restart; call say_hello() -> u32 --timeout 10s")).isZero();
            assertThat(shell.out.toString()).contains("loaded again: crashy").endsWith("2" + System.lineSeparator());
        }
    }

    @Test
    void inProcessThereIsNoWorkerToRestart() {
        Run run = MainRunner.run(EngineFactory::create, "", "--in-process", "--json", "-c", "restart");

        assertThat(run.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(run.out()).contains("\"code\":\"engine.restart_unavailable\"", "--in-process");
    }

    /** The per-command JSON objects, without the module output lines between them. */
    static List<JsonNode> commandLines(String out) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.lines().toList()) {
            JsonNode node = new ObjectMapper().readTree(line);
            if (node.has("command")) {
                lines.add(node);
            }
        }
        return lines;
    }
}
