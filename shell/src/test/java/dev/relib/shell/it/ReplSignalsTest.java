package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.ExitCode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C in the interactive shell, typed on a real pseudo-terminal, as gdb has it: at the prompt
 * it drops the line only; during a call the first says the call still runs, the second ends the
 * worker; the shell goes on (in-process too, where the call cannot be stopped and it waits).
 */
@Timeout(180)
class ReplSignalsTest {

    private static final Path CONSOLE = SampleModules.c("console");
    private static final String CTRL_C = "\u0003";
    private static final String ENTER = "\r";

    @TempDir
    Path home;

    @BeforeEach
    void needsATerminal() {
        assumeTrue(ShellProcess.terminalsAvailable(), "script(1) (util-linux) runs the shell on a pseudo-terminal");
    }

    @Test
    void ctrlCAtThePromptDropsTheLineAndDuringACallSaysSoThenEndsTheWorker() throws Exception {
        try (ShellProcess shell = ShellProcess.inTerminal(home)) {
            shell.awaitOut(line -> line.contains("relib shell: type help"));
            shell.type("load " + CONSOLE + ENTER);
            shell.awaitOut(line -> line.contains("loaded console (#1)"));

            shell.type("half typed" + CTRL_C);
            // The terminal discards input typed ahead of the signal it makes of Ctrl-C, as a person's would be.
            Thread.sleep(1_000);
            shell.type("modules" + ENTER);
            List<String> answer = shell.awaitOut(line -> line.contains("#1  console"));
            assertThat(answer).noneMatch(line -> line.contains("unknown command") || line.contains("worker process died"));
            List<ProcessHandle> workers = shell.descendants().stream()
                    .filter(p -> p.info().commandLine().orElse("").contains("WorkerMain")).toList();
            assertThat(workers).as("the worker, alive after Ctrl-C at the prompt").hasSize(1)
                    .allMatch(ProcessHandle::isAlive);

            shell.type("call interleave(u32) 100000" + ENTER);
            shell.awaitOut(line -> line.contains("[module stdout] line 1 on stdout"));
            shell.type(CTRL_C);
            shell.awaitOut(line -> line.contains("'call interleave(u32) 100000' is still running in the worker;"
                    + " press Ctrl-C again to end the worker"));
            assertThat(workers.get(0).isAlive()).as("the first Ctrl-C leaves the call running").isTrue();

            shell.type(CTRL_C);
            shell.awaitOut(line -> line.contains("ended by Ctrl-C while it ran"));
            shell.type("restart" + ENTER);
            shell.awaitOut(line -> line.contains("loaded again: console (#1)"));
            assertThat(workers.get(0).isAlive()).isFalse();

            shell.type("quit" + ENTER);
            assertThat(shell.awaitExit()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void ctrlCReachesAShellStartedWithSigintIgnored() throws Exception {
        assumeTrue(ShellProcess.envSetsSignals(), "env(1) of coreutils 8.31 or later starts the shell with SIGINT ignored");
        // As a CI runner's background job starts it: a JVM installs no handler for a signal ignored at its start.
        try (ShellProcess shell = ShellProcess.inTerminal(home, List.of("env", "--ignore-signal=INT"))) {
            shell.awaitOut(line -> line.contains("relib shell: type help"));
            shell.type("half typed" + CTRL_C);
            Thread.sleep(1_000);
            shell.type("help quit" + ENTER);
            List<String> answer = shell.awaitOut(line -> line.contains("quit"));
            assertThat(answer).noneMatch(line -> line.contains("unknown command"));
            shell.type("quit" + ENTER);
            assertThat(shell.awaitExit()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void inProcessCtrlCDuringACallSaysTheShellWaitsAndTheShellGoesOn() throws Exception {
        try (ShellProcess shell = ShellProcess.inTerminal(home, "--in-process")) {
            shell.awaitOut(line -> line.contains("relib shell: type help"));
            shell.type("load " + CONSOLE + ENTER);
            shell.awaitOut(line -> line.contains("loaded console (#1)"));

            shell.type("call interleave(u32) 400" + ENTER);
            shell.awaitOut(line -> line.contains("line 1 on stdout"));
            shell.type(CTRL_C);
            shell.awaitOut(line -> line.contains("is still running in this process (--in-process)"));
            shell.awaitOut(line -> line.contains("line 400 on stderr"));

            shell.type("call spin(u32) -> u32 4242" + ENTER);
            shell.awaitOut(line -> line.contains("4242") && !line.contains("spin"));
            shell.type("quit" + ENTER);
            assertThat(shell.awaitExit()).isEqualTo(ExitCode.OK);
        }
    }
}
