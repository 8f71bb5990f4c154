package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.ExitCode;
import dev.relib.shell.SessionHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every command through each real engine (worker and in-process) and the real sample shared objects. */
@Timeout(60)
class ShellSessionTest {

    private SessionHarness shell;

    @AfterEach
    void close() {
        shell.close();
    }

    @EachEngine
    void loadsTheSheepSampleCallsItAndUnloadsWithTheFinalCheck(Mode mode) {
        shell = SessionHarness.human(mode);
        assertThat(shell.run("load " + Fixtures.SHEEP)).isZero();
        assertThat(shell.out.toString()).contains("loaded sheep (#1) from " + Fixtures.SHEEP);

        shell.clear();
        assertThat(shell.run("call count_sheep(u32) -> &str 3")).isZero();
        assertThat(shell.out.toString().strip()).isEqualTo("\"Many\"");

        shell.clear();
        assertThat(shell.run("call count_sheep(u32) -> &'static str 0")).isZero();
        assertThat(shell.out.toString()).contains("None");

        shell.clear();
        assertThat(shell.run("modules; info; exports")).isZero();
        assertThat(shell.out.toString())
                .contains("#1  sheep  plain", "module:", "sheep (#1)", "rustc:", "count_sheep", "0x");

        shell.clear();
        assertThat(shell.run("check unload; unload")).isZero();
        assertThat(shell.out.toString()).contains("ok: sheep would unload", "final_check", "passed",
                "unloaded sheep; final check passed");
        assertThat(shell.err.toString()).isEmpty();

        shell.clear();
        shell.run("modules");
        assertThat(shell.out.toString()).contains("no modules loaded");
    }

    @EachEngine
    void callsArithmeticAndCStringExports(Mode mode) {
        shell = SessionHarness.human(mode);
        assertThat(shell.run("load " + Fixtures.CALC + "; load " + Fixtures.CSTR)).isZero();
        shell.clear();
        assertThat(shell.run("call calc.add(i32, i32) -> i32 2 3")).isZero();
        assertThat(shell.run("call calc.add(i32, i32) -> i32 -7 2")).isZero();
        assertThat(shell.run("call cstr.str_length(*const c_char) -> usize \"hello world\"")).isZero();
        assertThat(shell.run("call #2.greeting() -> *const c_char")).isZero();
        assertThat(shell.out.toString().lines()).containsExactly("5", "-5", "11", "\"hello from C\"");
        assertThat(shell.err.toString()).isEmpty();
    }

    @EachEngine
    void aRememberedSignatureMakesLaterCallsShortAndShowsInExports(Mode mode) {
        shell = SessionHarness.human(mode);
        shell.run("load " + Fixtures.CALC);
        assertThat(shell.run("sig add(i32, i32) -> i32")).isZero();
        shell.clear();
        assertThat(shell.run("call add 40 2")).isZero();
        assertThat(shell.out.toString().strip()).isEqualTo("42");
        shell.clear();
        assertThat(shell.run("call add 1 2 --repeat 1000")).isZero();
        assertThat(shell.out.toString()).startsWith("3").contains("(1000 calls,", "ns/call)");
        shell.clear();
        shell.run("exports");
        assertThat(shell.out.toString()).contains("add(i32, i32) -> i32  (remembered)");
    }

    @EachEngine
    void eachBadInputIsOneClearLineAndTheSessionGoesOn(Mode mode, @TempDir Path dir) throws Exception {
        shell = SessionHarness.human(mode);
        shell.run("load " + Fixtures.SHEEP);
        String[][] cases = {
            {"load " + dir.resolve("libmissing.so"), "libmissing.so: no such file"},
            {"load " + Fixtures.notElf(dir), "libnotes.so", "not an ELF file"},
            {"load " + Fixtures.wrongArchitecture(dir), "libarm.so: built for AArch64", "rebuild for x86_64"},
            {"call no_such(u32) -> u32 1", "sheep has no export 'no_such'", "exports sheep"},
            {"call count_sheep(u32 -> &str 3", "malformed signature", "'(' at column 12 is never closed"},
            {"call count_sheep(u32) -> 3", "malformed signature", "expected a return type"},
            {"call count_sheep(u33) -> &str 1", "unknown type 'u33'"},
            {"call count_sheep(u32) -> &str", "takes 1 argument, 0 given"},
            {"call count_sheep(u32) -> &str 1 2", "takes 1 argument, 2 given"},
            {"call count_sheep(u32) -> &str 5000000000", "argument 1 ('5000000000')", "out of range for u32"},
            {"call count_sheep(u32) -> &str -1", "out of range for u32"},
            {"info nothing", "no module 'nothing' is loaded", "loaded: sheep"},
        };
        for (String[] bad : cases) {
            shell.clear();
            assertThat(shell.run(bad[0])).as(bad[0]).isEqualTo(ExitCode.FAILED);
            assertThat(shell.err.toString().lines()).as(bad[0]).hasSize(1)
                    .allSatisfy(line -> assertThat(line).startsWith("error: ").contains(
                            java.util.Arrays.copyOfRange(bad, 1, bad.length)));
            assertThat(shell.out.toString()).as(bad[0]).isEmpty();
        }
        shell.clear();
        assertThat(shell.run("call count_sheep(u32) -> &str 2")).isZero();
        assertThat(shell.out.toString().strip()).isEqualTo("\"Two\"");
        assertThat(shell.history.entries()).hasSize(cases.length + 2).contains(cases[0][0], cases[10][0]);
    }

    @EachEngine
    void checksThatFailExitWithThree(Mode mode) {
        shell = SessionHarness.human(mode);
        assertThat(shell.run("check load " + Fixtures.NEEDS_GONE)).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(shell.out.toString()).contains("blocking", "load.needed_unresolved");
        assertThat(shell.err.toString()).contains("needs libgone.so");

        shell.clear();
        assertThat(shell.run("load " + Fixtures.NODELETE)).isZero();
        assertThat(shell.run("unload nodelete")).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(shell.err.toString().strip())
                .startsWith("error: nodelete is still mapped after dlclose")
                .contains("DF_1_NODELETE");
    }

    @EachEngine
    void sourceRunsAScriptAgainstTheLoadedModules(Mode mode, @TempDir Path dir) throws Exception {
        shell = SessionHarness.human(mode);
        Path script = Files.writeString(dir.resolve("calls.relib"),
                "# uses what the session loaded\ncall count_sheep(u32) -> &str 1\ncall count_sheep(u32) -> &str 2\n");
        shell.run("load " + Fixtures.SHEEP);
        shell.clear();
        assertThat(shell.run("source " + script)).isZero();
        assertThat(shell.out.toString()).contains("relib> call count_sheep(u32) -> &str 1", "\"One\"", "\"Two\"");
    }
}
