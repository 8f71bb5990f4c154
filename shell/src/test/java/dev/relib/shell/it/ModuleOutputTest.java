package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relib.shell.EngineFactory;
import dev.relib.shell.ExitCode;
import dev.relib.shell.MainRunner;
import dev.relib.shell.MainRunner.Run;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a module prints in the worker reaches the user marked as the module's, before the call's result. */
@Timeout(60)
class ModuleOutputTest {

    private static final String SAY_HELLO = "load " + Fixtures.CRASHY + "; call say_hello() -> u32; call print_partial()";

    @Test
    void moduleLinesAreMarkedAndComeBeforeTheResultOfTheCallThatPrintedThem() {
        Run run = MainRunner.run(EngineFactory::create, "", "-c", SAY_HELLO);

        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.OK);
        List<String> lines = run.out().lines().toList();
        int result = lines.indexOf("2");
        assertThat(result).as(run.out()).isPositive();
        assertThat(lines.subList(0, result)).contains(
                "[module stdout] hello from crashy on stdout",
                "[module stderr] hello from crashy on stderr");
        assertThat(lines.subList(result + 1, lines.size()))
                .as("a last line without a newline is shown too, with the call that printed it")
                .containsExactly("[module stdout] no newline here", "()");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void inJsonEachModuleLineIsAnObjectOfItsOwnBeforeTheCommandsObject() throws Exception {
        Run run = MainRunner.run(EngineFactory::create, "", "--json", "-c", SAY_HELLO);

        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.OK);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.out().lines().toList()) {
            lines.add(new ObjectMapper().readTree(line));
        }
        int call = indexOfCommand(lines, "call say_hello() -> u32");
        List<String> before = lines.subList(0, call).stream()
                .filter(l -> l.has("output")).map(l -> l.get("output").asText() + ": " + l.get("text").asText()).toList();
        assertThat(before).contains("stdout: hello from crashy on stdout", "stderr: hello from crashy on stderr");
        assertThat(lines.get(call).get("result").get("value").asLong()).isEqualTo(2);
    }

    private static int indexOfCommand(List<JsonNode> lines, String command) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).has("command") && lines.get(i).get("command").asText().equals(command)) {
                return i;
            }
        }
        throw new AssertionError("no JSON line for " + command + " in " + lines);
    }
}
