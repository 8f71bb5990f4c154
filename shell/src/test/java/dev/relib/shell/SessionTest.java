package dev.relib.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relib.shell.command.SessionCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParseResult;

/** The session's command handling that needs no module: parsing, usage errors, scripts, history, source. */
class SessionTest {

    private final SessionHarness shell = SessionHarness.human(SessionHarness.noEngine());

    @Test
    void anUnknownCommandIsAUsageErrorWithASuggestion() {
        assertThat(shell.run("lod x.so")).isEqualTo(ExitCode.USAGE);
        assertThat(shell.err.toString().strip())
                .isEqualTo("error: unknown command 'lod' (did you mean 'load'?); type help for the list");
    }

    @Test
    void aBadOptionOrMissingArgumentNamesTheCommandAndItsHelp() {
        assertThat(shell.run("load --bogus x.so")).isEqualTo(ExitCode.USAGE);
        assertThat(shell.err.toString()).contains("error: load: Unknown option: '--bogus'; see: load --help");
        shell.clear();
        assertThat(shell.run("load")).isEqualTo(ExitCode.USAGE);
        assertThat(shell.err.toString()).contains("load: Missing required parameter: 'PATH'");
        shell.clear();
        assertThat(shell.run("call f(i32) -> i32 1 --repeat many")).isEqualTo(ExitCode.USAGE);
        assertThat(shell.err.toString()).contains("call: Invalid value for option '--repeat'");
        shell.clear();
        assertThat(shell.run("check")).isEqualTo(ExitCode.USAGE);
        assertThat(shell.err.toString()).contains("check needs a subject: check load PATH, or check unload [MOD]");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("load", "modules", "info", "exports", "sig", "call", "unload", "check load",
                "check unload", "source", "set", "restart", "help", "history", "quit")) {
            shell.clear();
            assertThat(shell.run(command + " --help")).as(command).isZero();
            assertThat(shell.out.toString()).as(command).startsWith("Usage: relib " + command);
        }
    }

    @Test
    void setShowsAndChangesTheDefaultCallTimeout() {
        assertThat(shell.run("set")).isZero();
        assertThat(shell.out.toString().lines()).containsExactly("timeout:       off", "load-timeout:  30s");
        shell.clear();
        assertThat(shell.run("set timeout 1.5s; set timeout")).isZero();
        assertThat(shell.out.toString().lines()).containsExactly("timeout:  1500ms", "timeout:  1500ms");
        assertThat(shell.session.settings().callTimeout()).isEqualTo(java.time.Duration.ofMillis(1500));
        shell.clear();
        assertThat(shell.run("set timeout off")).isZero();
        assertThat(shell.session.settings().callTimeout()).isNull();

        shell.clear();
        assertThat(shell.run("set color on")).isEqualTo(ExitCode.USAGE);
        assertThat(shell.err.toString().strip()).isEqualTo("error: set: no setting 'color'; settings: timeout, load-timeout");
        shell.clear();
        assertThat(shell.run("set timeout soon")).isEqualTo(ExitCode.USAGE);
        assertThat(shell.err.toString()).contains("'soon' is not a duration", "or off");
        assertThat(shell.session.settings().callTimeout()).isNull();
    }

    @Test
    void helpListsEveryCommandAndExplainsOne() {
        assertThat(shell.run("help")).isZero();
        assertThat(shell.out.toString()).contains("load", "modules", "info", "exports", "sig", "call", "unload",
                "check load", "check unload", "source", "help", "history", "quit");
        shell.clear();
        assertThat(shell.run("help check unload")).isZero();
        assertThat(shell.out.toString()).startsWith("Usage: relib check unload");
        assertThat(shell.run("help nothing")).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void aScriptStopsAtTheFirstFailureAndKeepsItsExitCode() {
        assertThat(shell.run("help\nbogus\nhistory")).isEqualTo(ExitCode.USAGE);
        assertThat(shell.history.entries()).containsExactly("help", "bogus");
    }

    @Test
    void keepGoingRunsEverythingAndExitsWithTheWorstCode(@TempDir Path dir) {
        try (SessionHarness going = SessionHarness.human(SessionHarness.noEngine(), true)) {
            int exit = going.run("source " + dir.resolve("missing.relib") + "; bogus; history");
            assertThat(exit).isEqualTo(ExitCode.USAGE);
            assertThat(going.err.toString().lines()).hasSize(2);
            assertThat(going.out.toString()).contains("history");
        }
    }

    @Test
    void historyListsTheSessionsCommandsIncludingFailedOnes() {
        shell.run("help; nope");
        shell.clear();
        assertThat(shell.run("history")).isZero();
        assertThat(shell.out.toString().lines())
                .containsExactly("    1  help", "    2  nope", "    3  history");
        shell.clear();
        shell.run("history -n 1");
        assertThat(shell.out.toString().lines()).containsExactly("    4  history -n 1");
    }

    @Test
    void quitEndsTheScript() {
        assertThat(shell.run("quit; bogus")).isZero();
        assertThat(shell.session.quitRequested()).isTrue();
        assertThat(shell.err.toString()).isEmpty();
    }

    @Test
    void sourceRunsAFileInTheSessionAndFailsWithItsCommand(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.relib"), "# a comment\nhelp history\n");
        assertThat(shell.run("source " + good)).isZero();
        assertThat(shell.out.toString()).contains("relib> help history", "Usage: relib history");

        Path bad = Files.writeString(dir.resolve("bad.relib"), "help\nload --nope x.so\nhelp\n");
        shell.clear();
        assertThat(shell.run("source " + bad)).isEqualTo(ExitCode.USAGE);
        assertThat(shell.err.toString()).contains("load: Unknown option: '--nope'", bad + ": a command failed");

        shell.clear();
        assertThat(shell.run("source " + dir.resolve("none.relib"))).isEqualTo(ExitCode.FAILED);
        assertThat(shell.err.toString()).contains("none.relib: no such file");
    }

    @Test
    void aScriptThatSourcesItselfStops(@TempDir Path dir) throws Exception {
        Path loop = dir.resolve("loop.relib");
        Files.writeString(loop, "source " + loop + "\n");
        assertThat(shell.run("source " + loop)).isEqualTo(ExitCode.FAILED);
        assertThat(shell.err.toString()).contains("source nested more than 16 deep");
    }

    @Test
    void negativeNumbersReachACallAsArguments() {
        ParseResult parsed = SessionCommands.model().parseArgs("call", "f(i32) -> i32", "-5", "--repeat", "2");
        List<String> values = parsed.subcommand().matchedPositionals().stream()
                .flatMap(p -> p.stringValues().stream()).toList();
        assertThat(values).containsExactly("f(i32) -> i32", "-5");
    }

    @Test
    void callAndSigGroupTheirTargetBeforeSplittingWords() {
        assertThat(Session.words("call add(i32, i32) -> i32 2 \"3\" --repeat 2"))
                .containsExactly("call", "add(i32, i32) -> i32", "2", "\"3\"", "--repeat", "2");
        assertThat(Session.words("sig count_sheep(u32) -> &'static str"))
                .containsExactly("sig", "count_sheep(u32) -> &'static str");
        assertThat(Session.words("call --help")).containsExactly("call", "--help");
        assertThat(Session.words("load 'my dir/a.so' --as x")).containsExactly("load", "my dir/a.so", "--as", "x");
    }

    @Test
    void jsonModePrintsOneObjectPerCommandWithTheErrorCode() throws Exception {
        try (SessionHarness json = SessionHarness.json(SessionHarness.noEngine(), false)) {
            assertThat(json.run("help; lod")).isEqualTo(ExitCode.USAGE);
            List<JsonNode> lines = json.out.toString().lines().map(SessionTest::parse).toList();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0).get("ok").asBoolean()).isTrue();
            assertThat(lines.get(0).get("result").get("usage").asText()).contains("check unload");
            assertThat(lines.get(1).get("command").asText()).isEqualTo("lod");
            assertThat(lines.get(1).get("ok").asBoolean()).isFalse();
            assertThat(lines.get(1).get("error").get("code").asText()).isEqualTo("usage");
            assertThat(json.err.toString()).isEmpty();
        }
    }

    static JsonNode parse(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
