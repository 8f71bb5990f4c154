package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.EngineFactory;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.ExitCode;
import dev.relib.shell.MainRunner;
import dev.relib.shell.MainRunner.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * SDK modules through Main and the real engines. panicky is loaded --untracked: its before_unload
 * always panics, so in-process it stays loaded in this JVM and must not stay attached to the agent.
 */
@Timeout(120)
class SdkSessionTest {

    private static final Path HELLO = SampleModules.rust("hello");
    private static final Path PANICKY = SampleModules.rust("panicky");
    private static final Path IMPORTS = SampleModules.rust("imports");

    private static Run run(Mode mode, String... args) {
        return MainRunner.run(EngineFactory::create, "", Fixtures.args(mode, args));
    }

    @EachEngine
    void typedCallsNeedNoSignatureAndInfoShowsTheSdk(Mode mode) {
        Run run = run(mode, "-c", String.join("; ",
                "load " + HELLO, "exports", "call add 2 3", "call greet world", "info", "unload"));

        assertThat(run.err()).doesNotContain("error:");
        assertThat(run.exit()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("relib SDK module", "add(i32, i32) -> i32", "greet(&str) -> String")
                .contains("\n5\n", "\"hello, world\"")
                .contains("relib_sdk 0.1.0, ABI 1", "rustc ", "ran at load")
                .containsPattern("relib_sdk_main .*\\(relib_sdk entry point\\)")
                .containsPattern("before_unload +passed +before_unload ran")
                .containsPattern("free_leaks +passed +no live allocations")
                .contains("unloaded hello");
    }

    @EachEngine
    void aSignatureThatDisagreesWithTheManifestFails(Mode mode) {
        Run run = run(mode, "-c",
                "load " + HELLO + "; call add(i64, i64) -> i64 1 2; unload");

        assertThat(run.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(run.err().strip()).endsWith("error: add: the module declares add(i32, i32) -> i32, "
                + "not add(i64, i64) -> i64; drop the signature to use the declared one");
    }

    @EachEngine
    void aPanickingCallPrintsItsMessageAndStopsTheScript(Mode mode) {
        Run run = run(mode, "-c",
                "load --untracked " + PANICKY + "; call divide 1 0; call still_alive");

        assertThat(run.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(run.out()).doesNotContain("warning:").doesNotContain("relib> call still_alive");
        assertThat(run.err()).contains("warning: main panicked: panicky: main panicked on purpose")
                .contains("error: divide panicked: panicky: divide(1, 0) at ").contains("lib.rs:");
    }

    @EachEngine
    void panicsListsEachWithItsThreadAndBacktrace(Mode mode) {
        Run run = run(mode, "--keep-going", "-c",
                "load --untracked --as p1 " + PANICKY + "; call divide 1 0; call panic_in_thread; panics; "
                        + "unload; call still_alive");

        assertThat(run.out()).contains("p1 panic #1 in main", "p1 panic #2 in divide", "on a module thread",
                        "thread 'panicky-worker'", "  panicky: divide(1, 0)", "backtrace", "(libpanicky.so)")
                .contains("\n7\n");
        assertThat(run.err()).contains("p1 was not unloaded (before_unload: before_unload panicked: ",
                "index out of bounds");
    }

    @EachEngine
    void stubsBindImportsAndUnboundOnesAreListed(Mode mode) {
        Run run = run(mode, "--keep-going", "-c", String.join("; ",
                "load " + IMPORTS, "import stub answer() -> u8 = 42", "import list", "load " + IMPORTS,
                "call ask", "info", "unload"));

        assertThat(run.err()).contains("error: " + IMPORTS + ": unbound imports: answer() -> u8; "
                + "define each with: import stub NAME(SIG) = VALUE");
        assertThat(run.out()).contains("import stub answer() -> u8 = 42", "returns 42", "now_ns() -> u64")
                .contains("\n84\n", "answer() -> u8  <- stub = 42", "log(u32, &str)  <- built-in");
    }

    @EachEngine
    void checkLoadReadsTheManifestsWithoutLoading(Mode mode) {
        Run run = run(mode, "-c", "check load " + IMPORTS + "; modules");

        assertThat(run.exit()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(run.out()).contains("relib SDK module; manifest: ", "ask() -> u32",
                "imports: ", "log(u32, &str)", "now_ns() -> u64", "answer() -> u8");
        assertThat(run.err()).contains("unbound imports: answer() -> u8");
    }

    @EachEngine
    void aModuleForAnotherSdkAbiIsRefusedNamingBoth(Mode mode) {
        Run run = run(mode, "-c", "load " + SampleModules.c("sdk_future_abi"));

        assertThat(run.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(run.err().strip()).endsWith("libsdk_future_abi.so: built for relib_sdk ABI 99, this relib speaks "
                + "ABI 1; rebuild the module against a relib_sdk with ABI 1");
    }

    @EachEngine
    void panicsAndStubsAreJsonRecords(Mode mode) throws Exception {
        Run run = run(mode, "--json", "--keep-going", "-c", String.join("; ",
                "import stub answer() -> u8 = fail \"no answer today\"", "load " + IMPORTS, "call ask", "panics",
                "unload"));

        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.out().lines().toList()) {
            JsonNode node = new ObjectMapper().readTree(line);
            // The worker's module output travels as JSON lines of its own; only command results count here.
            if (node.has("command")) {
                lines.add(node);
            }
        }
        assertThat(lines.get(0).get("result").get("fails").asBoolean()).isTrue();
        assertThat(lines.get(2).get("error").get("code").asText()).isEqualTo("call.panicked");
        assertThat(lines.get(2).get("error").get("message").asText())
                .contains("import `answer() -> u8` failed in the host: no answer today");
        JsonNode panic = lines.get(3).get("result").get("panics").get(0);
        assertThat(panic.get("export").asText()).isEqualTo("ask");
        assertThat(panic.get("rawFrames").size()).isPositive();
        assertThat(lines.get(4).get("result").get("outcome").asText()).isEqualTo("UNLOADED");
    }
}
