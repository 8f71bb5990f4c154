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
import java.util.List;
import org.junit.jupiter.api.Timeout;

/** relib modules' exports and calls (main, Exports::f, boxed returns, panics) through Main and each real engine, for people and as JSON. */
@Timeout(120)
class RelibCallsSessionTest {

    private static final Path NO_UNLOADING = SampleModules.rust("relib_fx_no_unloading");
    private static final Path MAIN_U64 = SampleModules.rust("relib_fx_main_u64");
    private static final Path MAIN_RSTRING = SampleModules.rust("relib_fx_main_rstring");
    private static final Path MAIN_PANIC = SampleModules.rust("relib_fx_main_panic");
    /** The no-unloading fixture's import slots, bound as a user would before loading it (relib_host refuses unbound slots). */
    private static final String STUBS = "import stub Imports::panic() = (); import stub Imports::primitive_ret(i32) -> i32 = 7; "
            + "import stub Imports::ref_owned_ret(RStr) -> RString = \"host\"; ";
    private static final int STUB_COMMANDS = 3;

    private static Run run(Mode mode, String... args) {
        return MainRunner.run(EngineFactory::create, "", Fixtures.args(mode, args));
    }

    private static List<JsonNode> json(Run run) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : run.out().lines().toList()) {
            JsonNode node = mapper.readTree(line);
            if (node.has("command")) {
                lines.add(node);
            }
        }
        return lines;
    }

    @EachEngine
    void exportsShowsRelibNamesAndFoldsRelibsOwnFunctions(Mode mode) {
        Run run = run(mode, "-c", STUBS + "load " + NO_UNLOADING + "; exports; exports --all");

        assertThat(run.exit()).isEqualTo(ExitCode.OK);
        String[] parts = run.out().split("exports --all lists them");
        assertThat(parts[0]).containsPattern("Exports::ref_owned_ret +boxed")
                .containsPattern("Exports::primitive_ret +by value")
                .containsPattern("main +by value +0x[0-9a-f]+ +main\\(\\)")
                .contains("1 of relib's own functions (__post__ pairs, internal exports, libc hooks) not shown; ")
                .doesNotContain("__post__relib__");
        assertThat(parts[1]).contains("__post__relib__Exports_ref_owned_ret", "__relib__Exports_ref_owned_ret");
    }

    @org.junit.jupiter.api.Test
    void restartRestoresTheSignatureACallOfMainRemembered() {
        Run run = run(Mode.WORKER, "-c", "load " + MAIN_U64 + "; call main -> u64; restart; call main");

        assertThat(run.err()).doesNotContain("not restored");
        assertThat(run.out()).containsPattern("18446744073709551615\\n(.|\\n)*18446744073709551615\\n");
        assertThat(run.exit()).isEqualTo(ExitCode.OK);
    }

    @EachEngine
    void sigRemembersAnExportByItsRelibName(Mode mode) {
        Run run = run(mode, "-c", STUBS + "load " + NO_UNLOADING + "; sig Exports::ref_owned_ret(RStr) -> RString;"
                + " call Exports::ref_owned_ret \"remembered\"");

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("__relib__Exports_ref_owned_ret: Exports::ref_owned_ret(RStr) -> RString",
                "\n\"remembered\"\n");
        assertThat(run.exit()).isEqualTo(ExitCode.OK);
    }

    @EachEngine
    void callsMainByValueAndBoxed(Mode mode) {
        Run run = run(mode, "-c", "load " + MAIN_U64 + "; call main -> u64; unload; load " + MAIN_RSTRING
                + "; call main -> RString; call main --repeat 3");

        assertThat(run.out()).contains("\n18446744073709551615\n", "\n\"ret_heap_main\"\n", "(3 calls, ");
        assertThat(run.exit()).isEqualTo(ExitCode.OK);
    }

    @EachEngine
    void passesAnRStrAndReturnsTheRStringInJson(Mode mode) throws Exception {
        Run run = run(mode, "--json", "-c", STUBS + "load " + NO_UNLOADING
                + "; call Exports::ref_owned_ret(RStr) -> RString \"hi there\"; call Exports::primitive_ret(i32) -> i32");

        List<JsonNode> lines = json(run);
        JsonNode copy = lines.get(STUB_COMMANDS + 1);
        assertThat(copy.get("ok").asBoolean()).isTrue();
        assertThat(copy.get("result").get("value").asText()).isEqualTo("hi there");
        assertThat(copy.get("result").get("symbol").asText()).isEqualTo("Exports::ref_owned_ret");
        JsonNode wrongCount = lines.get(STUB_COMMANDS + 2);
        assertThat(wrongCount.get("error").get("code").asText()).isEqualTo("call.argument_count");
        assertThat(run.exit()).isEqualTo(ExitCode.FAILED);
    }

    @EachEngine
    void aPanicFailsTheScriptAndIsKeptInPanics(Mode mode) {
        Run failed = run(mode, "-c", "load " + MAIN_PANIC + "; call main; modules");
        assertThat(failed.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(failed.err()).contains("error: main panicked: expected panic at ").contains("main-panic/src/lib.rs:")
                .contains("relib's host would get None here");
        assertThat(failed.out()).doesNotContain("relib> modules");

        Run kept = run(mode, "--keep-going", "-c", "load " + MAIN_PANIC + "; call main; panics");
        assertThat(kept.out()).contains("panic #1 in main", "expected panic", "main-panic/src/lib.rs:");
    }

    @EachEngine
    void aPanicInJsonHasItsCode(Mode mode) throws Exception {
        Run run = run(mode, "--json", "-c", "load " + MAIN_PANIC + "; call main");

        JsonNode call = json(run).get(1);
        assertThat(call.get("ok").asBoolean()).isFalse();
        assertThat(call.get("error").get("code").asText()).isEqualTo("call.panicked");
        assertThat(call.get("error").get("message").asText()).contains("expected panic");
    }

    @EachEngine
    void aBoxedReturnWithoutItsTypeSaysWhatToWrite(Mode mode) throws Exception {
        Run run = run(mode, "--json", "-c", "load " + MAIN_RSTRING + "; call main");

        JsonNode call = json(run).get(1);
        assertThat(call.get("error").get("code").asText()).isEqualTo("call.relib_return_type");
        assertThat(call.get("error").get("message").asText()).contains("call main -> RString");
    }
}
