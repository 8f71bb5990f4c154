package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relib.shell.EngineFactory;
import dev.relib.shell.ExitCode;
import dev.relib.shell.MainRunner;
import dev.relib.shell.MainRunner.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** panics lists a panic on a plain Rust module's own thread, in both engines, for people and in JSON. */
@Timeout(90)
class ThreadPanicsShellTest {

    private static final String SCRIPT = "load " + Fixtures.THREADS + " --as th; call panic_on_thread(u32) -> u32 7; "
            + "reload; call panic_on_thread(u32) -> u32 8; panics";

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void panicsListsEachThreadPanicOnceWithItsThreadAndGeneration(boolean inProcess) {
        Run run = inProcess ? MainRunner.run(EngineFactory::create, "", "--in-process", "-c", SCRIPT)
                : MainRunner.run(EngineFactory::create, "", "-c", SCRIPT);

        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.OK);
        String out = run.out();
        assertThat(out).contains("[1] th panic #1 on a module thread, thread 'relib-panicker' (tid ",
                "[2] th (generation 2) panic #2 on a module thread, thread 'relib-panicker' (tid ",
                "  worker gave up on item 7\n  at threads/src/lib.rs:", "  worker gave up on item 8\n");
        assertThat(out.split("worker gave up on item 7\n  at", -1)).as("listed once").hasSize(2);
    }

    @Test
    void inJsonAThreadPanicHasNoExportAndNamesItsGeneration() throws Exception {
        Run run = MainRunner.run(EngineFactory::create, "", "--json", "-c",
                "load " + Fixtures.THREADS + "; call panic_on_thread(u32) -> u32 3; panics");

        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.OK);
        JsonNode panics = run.out().lines().map(ThreadPanicsShellTest::json)
                .filter(line -> "panics".equals(line.path("command").asText())).findFirst().orElseThrow()
                .get("result").get("panics");
        assertThat(panics).hasSize(1);
        JsonNode panic = panics.get(0);
        assertThat(panic.get("module").asText()).isEqualTo("threads");
        assertThat(panic.get("generation").asInt()).isEqualTo(1);
        assertThat(panic.get("export").isNull()).isTrue();
        assertThat(panic.get("thread").asText()).isEqualTo("relib-panicker");
        assertThat(panic.get("threadId").asLong()).isPositive();
        assertThat(panic.get("message").asText()).isEqualTo("worker gave up on item 3");
        assertThat(panic.get("line").asInt()).isPositive();
        assertThat(panic.get("capturedAt").asText()).isNotEmpty();
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }
}
