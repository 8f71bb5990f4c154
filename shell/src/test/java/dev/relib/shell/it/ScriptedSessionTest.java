package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relib.shell.EngineFactory;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.ExitCode;
import dev.relib.shell.MainRunner;
import dev.relib.shell.MainRunner.Run;
import dev.relib.shell.RepositoryFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The same session as a script, as -c, and as --json, through Main and each real engine. */
@Timeout(120)
class ScriptedSessionTest {

    private static String session(Path dir) throws IOException {
        return String.join("\n",
                "# the sheep sample, a bad call, and the final check",
                "load " + Fixtures.SHEEP,
                "call count_sheep(u32) -> &str 3",
                "call count_sheep(u32) -> &str 1 2",
                "load " + Fixtures.notElf(dir),
                "unload",
                "");
    }

    @EachEngine
    void aScriptStopsAtTheFirstFailureWithExitCodeOne(Mode mode, @TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("session.relib"), session(dir));
        Run run = MainRunner.run(EngineFactory::create, "", Fixtures.args(mode, script.toString()));
        assertThat(run.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(run.out()).contains("relib> load " + Fixtures.SHEEP, "\"Many\"")
                .doesNotContain("relib> unload");
        assertThat(run.err().strip()).isEqualTo("error: count_sheep(u32) -> &str takes 1 argument, 2 given");
    }

    @EachEngine
    void keepGoingRunsTheWholeScriptAndExitsWithTheWorstCode(Mode mode, @TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("session.relib"), session(dir) + "bogus\n");
        Run run = MainRunner.run(EngineFactory::create, "", Fixtures.args(mode, "--keep-going", script.toString()));
        assertThat(run.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(run.out()).contains("\"Many\"", "unloaded sheep; final check passed");
        assertThat(run.err().lines()).hasSize(3);
    }

    @EachEngine
    void theSameSessionAsJsonIsOneObjectPerCommand(Mode mode, @TempDir Path dir) throws Exception {
        Run run = MainRunner.run(EngineFactory::create, "", Fixtures.args(mode, "--json", "--keep-going", "-c", session(dir)));
        assertThat(run.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(run.err()).isEmpty();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.out().lines().toList()) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).extracting(l -> l.get("ok").asBoolean()).containsExactly(true, true, false, false, true);
        assertThat(lines.get(0).get("result").get("name").asText()).isEqualTo("sheep");
        assertThat(lines.get(0).get("result").get("source").asText()).isEqualTo(Fixtures.SHEEP.toString());
        assertThat(lines.get(1).get("command").asText()).isEqualTo("call count_sheep(u32) -> &str 3");
        assertThat(lines.get(1).get("result").get("value").asText()).isEqualTo("Many");
        assertThat(lines.get(2).get("error").get("code").asText()).isEqualTo("call.argument_count");
        assertThat(lines.get(3).get("error").get("code").asText()).isEqualTo("load.invalid_elf");
        assertThat(lines.get(3).has("result")).isFalse();
        assertThat(lines.get(4).get("result").get("outcome").asText()).isEqualTo("UNLOADED");
    }

    @EachEngine
    void aFailedCheckInJsonCarriesTheReportAndExitsWithThree(Mode mode) throws Exception {
        Run run = MainRunner.run(EngineFactory::create, "", Fixtures.args(mode, "--json", "-c",
                "load " + Fixtures.NODELETE + "; unload --strict"));
        assertThat(run.exit()).isEqualTo(ExitCode.CHECK_FAILED);
        JsonNode unload = new ObjectMapper().readTree(run.out().lines().toList().get(1));
        assertThat(unload.get("ok").asBoolean()).isFalse();
        assertThat(unload.get("error").get("code").asText()).isEqualTo("unload.still_mapped");
        assertThat(unload.get("result").get("outcome").asText()).isEqualTo("STILL_MAPPED");
    }

    @EachEngine
    void commandsOnANonTerminalStdinRunAsAScript(Mode mode) {
        Run run = MainRunner.run(EngineFactory::create, "load " + Fixtures.CALC + "\ncall add(i32, i32) -> i32 2 3\nunload\n",
                Fixtures.args(mode));
        assertThat(run.exit()).isZero();
        assertThat(run.out().lines()).contains("5", "unloaded calc; final check passed");
    }

    /** The README's first command, as a new user runs it: a separate process in the repository root. */
    @Test
    void theBundledDemoRunsFromTheRepositoryRoot() throws Exception {
        Path root = RepositoryFiles.root();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", classpath, "dev.relib.shell.Main",
                "sample-modules/demo.relib")
                .directory(root.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(err).isZero();
        assertThat(out).contains("\"Many\"", "\"hello from C\"", "unloaded sheep; final check passed",
                "[module stdout] hello from crashy on stdout", "unloaded cstr; final check passed")
                .doesNotContain("\u001b[");
        assertThat(err).isEmpty();
    }
}
