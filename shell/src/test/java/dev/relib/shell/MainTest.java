package dev.relib.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.Engine;
import dev.relib.engine.error.EngineFailure;
import dev.relib.shell.MainRunner.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The program's own options; none of these start the engine. */
class MainTest {

    @Test
    void aScriptStartsTheEngineAheadOfItsCommandsOnlyWhenOneMayUseIt() {
        AtomicInteger starts = new AtomicInteger();
        Supplier<Engine> failing = () -> {
            starts.incrementAndGet();
            throw new EngineFailure("engine.unavailable", "no engine in this test");
        };
        Run free = MainRunner.run(failing, "", "-c", "help quit; set; history; bogus");
        assertThat(free.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(starts).as("help, set, history and an unknown command need no engine").hasValue(0);

        Run modules = MainRunner.run(failing, "", "-c", "help quit; modules; modules");
        assertThat(modules.out()).as("the commands before it ran").contains("Usage: relib quit");
        assertThat(modules.err()).as("a start that failed in the background is reported by the command that needed it")
                .contains("no engine in this test");
        assertThat(modules.exit()).isNotZero();
        assertThat(starts).as("started once").hasValue(1);
    }

    @Test
    void aScriptStartsTheEngineOfTheModeItsOptionsChoseOnce() {
        List<EngineFactory.Mode> modes = new CopyOnWriteArrayList<>();
        EngineFactory.Starter recording = (mode, moduleOutput) -> {
            modes.add(mode);
            throw new EngineFailure("engine.unavailable", "no engine in this test");
        };
        MainRunner.run(recording, "", "--json", "-c", "modules");
        assertThat(modes).as("started once, for the session").containsExactly(EngineFactory.Mode.WORKER);
        modes.clear();
        MainRunner.run(recording, "", "-c", "modules", "--in-process");
        assertThat(modes).containsExactly(EngineFactory.Mode.IN_PROCESS);
        modes.clear();
        Run bad = MainRunner.run(recording, "", "-c", "modules", "--bogus");
        assertThat(bad.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(modes).as("arguments that end in a usage error start nothing").isEmpty();
    }

    @Test
    void helpListsTheOptionsAndExitCodes() {
        Run run = MainRunner.run(SessionHarness.noEngine(), "", "--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("Usage: relib", "--json", "--keep-going", "-c, --command", "--in-process",
                "--completion", "Exit codes:", "3     a check failed", "130   Ctrl-C stopped a script");
    }

    @Test
    void versionNamesTheProgram() {
        Run run = MainRunner.run(SessionHarness.noEngine(), "", "--version");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("relib ");
    }

    @Test
    void bashCompletionIsGeneratedFromTheModel() {
        Run run = MainRunner.run(SessionHarness.noEngine(), "", "--completion", "bash");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("complete -F", "relib", "--keep-going", "--json");
        Run zsh = MainRunner.run(SessionHarness.noEngine(), "", "--completion", "zsh");
        assertThat(zsh.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(zsh.err()).contains("--completion supports bash");
    }

    @Test
    void aBadOptionOrAMissingScriptIsAUsageError(@TempDir Path dir) {
        Run bad = MainRunner.run(SessionHarness.noEngine(), "", "--bogus");
        assertThat(bad.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).contains("error: Unknown option: '--bogus'; see: relib --help");

        Run missing = MainRunner.run(SessionHarness.noEngine(), "", dir.resolve("none.relib").toString());
        assertThat(missing.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err()).contains("none.relib: no such script file");

        Run both = MainRunner.run(SessionHarness.noEngine(), "", "-c", "help", dir.resolve("x").toString());
        assertThat(both.exit()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void commandsComeFromDashCAFileOrANonTerminalStdin(@TempDir Path dir) throws Exception {
        Run dashC = MainRunner.run(SessionHarness.noEngine(), "", "-c", "help history; history");
        assertThat(dashC.exit()).isZero();
        assertThat(dashC.out()).contains("Usage: relib history", "1  help history", "2  history");

        Path script = Files.writeString(dir.resolve("s.relib"), "# comment\nhelp quit\n");
        Run file = MainRunner.run(SessionHarness.noEngine(), "", script.toString());
        assertThat(file.exit()).isZero();
        assertThat(file.out()).contains("relib> help quit", "Usage: relib quit");

        Run stdin = MainRunner.run(SessionHarness.noEngine(), "help load\nbogus\nhelp\n");
        assertThat(stdin.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(stdin.out()).contains("Usage: relib load").doesNotContain("Commands (");
        assertThat(stdin.err()).contains("error: unknown command 'bogus'");
    }

    @Test
    void keepGoingRunsPastFailures() {
        Run run = MainRunner.run(SessionHarness.noEngine(), "", "--keep-going", "-c", "bogus; help source");
        assertThat(run.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(run.out()).contains("Usage: relib source");
    }
}
