package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell driven by another program through a pipe it keeps open, one command at a time, and
 * Ctrl-C (a real SIGINT) in scripts: the script stops with exit code 130 after saying where.
 */
@Timeout(180)
class ShellConsoleTest {

    private static final Path CONSOLE = SampleModules.c("console");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void eachPipedCommandIsAnsweredBeforeTheNextIsWritten() throws Exception {
        try (ShellProcess shell = ShellProcess.start(home)) {
            shell.send("load " + CONSOLE);
            assertThat(shell.awaitOut(line -> line.startsWith("loaded console (#1)"))).isNotEmpty();

            shell.send("call wait_ms(u32) -> u32 20");
            assertThat(shell.awaitOut(line -> line.equals("20"))).containsExactly("20");

            shell.send("call interleave(u32) 2");
            assertThat(shell.awaitOut(line -> line.contains("line 2"))).containsExactly(
                    "[module stdout] line 1 on stdout", "[module stderr] line 2 on stderr");

            shell.closeInput();
            assertThat(shell.awaitExit()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void aTildeInAPathIsTheHomeTheEnvironmentNames() throws Exception {
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        Files.copy(CONSOLE, plugins.resolve("console.so"));
        try (ShellProcess shell = ShellProcess.start(home)) {
            shell.send("load ~/plugins/console.so");
            assertThat(shell.awaitOut(line -> line.startsWith("loaded console (#1)"))).isNotEmpty();
            shell.closeInput();
            assertThat(shell.awaitExit()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void eachPipedCommandGetsItsJsonObjectBeforeTheNextIsWritten() throws Exception {
        try (ShellProcess shell = ShellProcess.start(home, "--json")) {
            shell.send("load " + CONSOLE);
            JsonNode loaded = JSON.readTree(last(shell.awaitOut(line -> line.startsWith("{\"command\""))));
            assertThat(loaded.get("ok").asBoolean()).isTrue();
            assertThat(loaded.at("/result/name").asText()).isEqualTo("console");

            shell.send("call wait_ms(u32) -> u32 20; call nothing_here()");
            JsonNode called = JSON.readTree(last(shell.awaitOut(line -> line.contains("\"command\":\"call wait_ms"))));
            assertThat(called.at("/result/value").asLong()).isEqualTo(20);
            JsonNode failed = JSON.readTree(last(shell.awaitOut(line -> line.contains("nothing_here"))));
            assertThat(failed.get("ok").asBoolean()).isFalse();

            assertThat(shell.awaitExit()).as("a failure ends a script, as at end of input").isEqualTo(ExitCode.FAILED);
        }
    }

    @Test
    void aCommandContinuedOnTheNextLineRunsOnceThatLineArrives() throws Exception {
        try (ShellProcess shell = ShellProcess.start(home)) {
            shell.send("help \\");
            shell.send("load");
            assertThat(shell.awaitOut(line -> line.startsWith("Usage: relib load"))).isNotEmpty();
            shell.closeInput();
            assertThat(shell.awaitExit()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void ctrlCDuringAScriptsCallStopsItWithExitCode130AndSaysWhere() throws Exception {
        Path script = Files.writeString(home.resolve("long.relib"),
                "load " + CONSOLE + "\ncall wait_ms(u32) -> u32 600000\ncall wait_ms(u32) -> u32 1\n");
        try (ShellProcess shell = ShellProcess.start(home, script.toString())) {
            shell.awaitOut(line -> line.equals("relib> call wait_ms(u32) -> u32 600000"));
            List<ProcessHandle> workers = shell.children();

            shell.interrupt();

            assertThat(shell.awaitExit()).isEqualTo(ExitCode.INTERRUPTED);
            assertThat(shell.stderr()).contains("relib: interrupted (Ctrl-C) at " + script
                    + ":2: call wait_ms(u32) -> u32 600000");
            assertThat(shell.stderr()).as("no advice to restart a shell that is leaving")
                    .noneMatch(line -> line.contains("restart"));
            assertThat(shell.stdout()).doesNotContain("relib> call wait_ms(u32) -> u32 1");
            assertThat(workers).isNotEmpty().noneMatch(ProcessHandle::isAlive);
        }
    }

    @Test
    void ctrlCWhileAPipedScriptWaitsForItsNextLineStopsItAfterTheLastCommand() throws Exception {
        try (ShellProcess shell = ShellProcess.start(home)) {
            shell.send("load " + CONSOLE);
            shell.awaitOut(line -> line.startsWith("loaded console"));
            List<ProcessHandle> workers = shell.children();

            shell.interrupt();

            assertThat(shell.awaitExit()).isEqualTo(ExitCode.INTERRUPTED);
            assertThat(shell.stderr()).contains("relib: interrupted (Ctrl-C) after <stdin>:1: load " + CONSOLE);
            assertThat(workers).as("the session ended its worker").isNotEmpty().noneMatch(ProcessHandle::isAlive);
        }
    }

    @Test
    void ctrlCDuringAnInProcessCallThatCannotBeStoppedEndsTheScriptAt130() throws Exception {
        try (ShellProcess shell = ShellProcess.start(home, "--in-process",
                "-c", "load " + CONSOLE + "; call say(u32) 1; call wait_ms(u32) -> u32 600000")) {
            shell.awaitOut(line -> line.equals("console says 1"));

            shell.interrupt();

            assertThat(shell.awaitExit()).isEqualTo(ExitCode.INTERRUPTED);
            assertThat(shell.stderr()).contains("relib: interrupted (Ctrl-C) at -c:1: call wait_ms(u32) -> u32 600000");
        }
    }

    @Test
    void aWorkerWhoseShellWasKilledEndsTooEvenInTheMiddleOfACall() throws Exception {
        try (ShellProcess shell = ShellProcess.start(home)) {
            shell.send("load " + CONSOLE);
            shell.awaitOut(line -> line.startsWith("loaded console"));
            shell.send("call wait_ms(u32) -> u32 600000");
            List<ProcessHandle> workers = shell.children();
            assertThat(workers).hasSize(1);

            shell.kill();

            long deadline = System.nanoTime() + ShellProcess.ANSWER.toNanos();
            while (workers.get(0).isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(workers.get(0).isAlive()).as("the orphaned worker ended").isFalse();
        }
    }

    @Test
    void aCrashedWorkerLeavesNoShadowCopyOrDirectoryBehind(@TempDir Path tmp) throws Exception {
        try (ShellProcess shell = ShellProcess.start(home, List.of("-Djava.io.tmpdir=" + tmp))) {
            shell.send("load " + Fixtures.CRASHY);
            shell.awaitOut(line -> line.startsWith("loaded crashy"));
            try (var files = Files.walk(tmp)) {
                assertThat(files.map(path -> path.getFileName().toString())).as("the worker's shadow copy")
                        .contains("libcrashy.so");
            }

            shell.send("call crash_null() -> u32");
            shell.awaitErr(line -> line.startsWith("error: the worker process died during 'call crash_null() -> u32'"));
            shell.closeInput();

            assertThat(shell.awaitExit()).isEqualTo(ExitCode.CRASHED);
            try (var left = Files.list(tmp)) {
                assertThat(left).as("relib-worker-* and relib-shadow-* all gone").isEmpty();
            }
        }
    }

    private static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }
}
