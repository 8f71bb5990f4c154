package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.EngineFactory;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.ExitCode;
import dev.relib.shell.Main;
import dev.relib.shell.ProcessStreams;
import dev.relib.shell.SessionHarness;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The smaller conventions of issue 12: a bare call goes to the one module that exports it; stderr
 * gets colour only when it is a terminal itself (and never with NO_COLOR); exports gives its
 * hints once and filters.
 */
@Timeout(120)
class ShellConventionsTest {

    private static final Path CONSOLE = SampleModules.c("console");

    @EachEngine
    void aBareCallGoesToTheOneLoadedModuleThatExportsIt(Mode mode) {
        try (SessionHarness shell = SessionHarness.human(mode)) {
            assertThat(shell.run("load " + Fixtures.CRASHY + "; load " + CONSOLE)).as(shell.err.toString()).isZero();

            assertThat(shell.run("call spin(u32) -> u32 1")).as(shell.err.toString()).isZero();
            assertThat(shell.out.toString().lines()).contains("1");
            assertThat(shell.run("call say_hello() -> u32")).as("crashy's, in the same way").isZero();
        }
    }

    @Test
    void aBareCallThatSeveralModulesExportAsksWhich() {
        try (SessionHarness shell = SessionHarness.human(Mode.WORKER)) {
            shell.run("load " + CONSOLE + "; load --as twin " + CONSOLE);
            shell.clear();

            assertThat(shell.run("call spin(u32) -> u32 1")).isEqualTo(ExitCode.FAILED);
            assertThat(shell.err.toString().strip()).isEqualTo("error: 'spin' is exported by several loaded modules"
                    + " (console, twin); name one, as console.spin");
            assertThat(shell.run("call twin.spin(u32) -> u32 1")).isZero();
        }
    }

    @Test
    void exportsSaysOnceHowToGiveSignaturesAndHowToFilterABigList() {
        try (SessionHarness shell = SessionHarness.human(Mode.WORKER)) {
            shell.run("load " + CONSOLE);
            shell.clear();

            assertThat(shell.run("exports")).isZero();
            String out = shell.out.toString();
            assertThat(out).contains("numbered_45").doesNotContain("(give one with");
            assertThat(out.lines().filter(line -> line.contains("give one with: sig"))).hasSize(1);
            assertThat(out.lines().filter(line -> line.contains("show fewer with: exports --grep PATTERN"))).hasSize(1);
            shell.clear();

            assertThat(shell.run("exports --grep SPI")).isZero();
            assertThat(shell.out.toString()).contains("spin").doesNotContain("numbered_", "wait_ms", "show fewer");
            shell.clear();

            assertThat(shell.run("exports -g 'numbered_4?'")).isZero();
            assertThat(shell.out.toString().lines().filter(line -> line.startsWith("numbered_"))).hasSize(6);
            shell.clear();

            assertThat(shell.run("exports --grep nothing_like_it")).isZero();
            assertThat(shell.out.toString().strip()).isEqualTo("no export of console matches 'nothing_like_it'");
        }
    }

    @Test
    void errorsAreColouredOnlyWhenStderrItselfIsATerminal() {
        Map<String, String> terminal = Map.of("TERM", "xterm-256color");
        assertThat(errorsOf(terminal, true, false)).as("stderr redirected, stdout a terminal")
                .contains("error: unknown command").doesNotContain("\u001b[");
        assertThat(errorsOf(terminal, true, true)).contains("\u001b[31merror:\u001b[0m unknown command");
        assertThat(errorsOf(terminal, false, true)).as("stdout redirected, stderr a terminal")
                .contains("\u001b[31merror:");
        Map<String, String> noColor = new HashMap<>(terminal);
        noColor.put("NO_COLOR", "1");
        assertThat(errorsOf(noColor, true, true)).doesNotContain("\u001b[");
    }

    /** What Main writes to stderr for an unknown command (no engine is started for one). */
    private static String errorsOf(Map<String, String> env, boolean stdoutTerminal, boolean stderrTerminal) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProcessStreams process = new ProcessStreams(new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false, stdoutTerminal, stderrTerminal);
        EngineFactory.Starter noEngine = (mode, output) -> {
            throw new AssertionError("an unknown command starts no engine");
        };
        assertThat(new Main(process, noEngine).run("-c", "bogus")).isEqualTo(ExitCode.USAGE);
        return err.toString(StandardCharsets.UTF_8);
    }
}
