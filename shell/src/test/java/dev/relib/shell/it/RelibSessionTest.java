package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

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

/** relib 0.7 modules (our fixtures) through Main and the real engines: what a relib user sees. */
@Timeout(120)
class RelibSessionTest {

    private static final Path UNLOADING = SampleModules.rust("relib_fx_unloading");
    private static final Path MISMATCH = SampleModules.rust("relib_fx_version_mismatch");
    private static final Path NO_UNLOADING = SampleModules.rust("relib_fx_main_unit");

    /** relib's test host's answers to the 13 imports, as constants (the module calls them with "1" x 100). */
    private static List<String> stubs() {
        String hundred = "\"" + "1".repeat(100) + "\"";
        return List.of("import stub Imports::empty() = ()", "import stub Imports::empty_default() = ()",
                "import stub Imports::dbg_default() = ()", "import stub Imports::ref_(RStr) = ()",
                "import stub Imports::ref_ret(RStr) -> RStr = \"" + "1".repeat(99) + "\"",
                "import stub Imports::ref_ret2(RStr, RStr) -> RStr = " + hundred,
                "import stub Imports::_params_lt_and_output_without(RStr, RStr) -> RString = \"\"",
                "import stub Imports::ref_owned_ret(RStr) -> RString = " + hundred,
                "import stub Imports::primitive(i32) = ()", "import stub Imports::primitive_ret(i32) -> i32 = -2147483648",
                "import stub Imports::alloc_mem() -> RVec<u8> = \"\\x01\\x01\"", "import stub Imports::panic() = ()",
                "import stub Imports::thread_local_drop_called() = ()");
    }

    private static Run run(Mode mode, String... args) {
        return MainRunner.run(EngineFactory::create, "", Fixtures.args(mode, args));
    }

    private static Run script(Mode mode, List<String> commands) {
        return run(mode, "-c", String.join("; ", commands));
    }

    @EachEngine
    void checkLoadAndInfoShowTheCompilationInfo(Mode mode) {
        List<String> commands = new ArrayList<>(stubs());
        commands.addAll(List.of("check load " + UNLOADING, "load " + UNLOADING, "info", "modules", "imports",
                "allocs", "unload"));

        Run run = script(mode, commands);

        assertThat(run.err()).doesNotContain("error:");
        assertThat(run.exit()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("relib 0.7.0 module, unloading on, rustc ")
                .contains("relib module (relib 0.7.0, unloading on, alloc tracker yes)")
                .containsPattern("alloc tracker: +yes \\(init reported its reservations\\)")
                .containsPattern("Imports::ref_owned_ret +boxed +stub = ")
                .contains("every import slot of relib_fx_unloading is bound")
                .contains("relib's alloc tracker (the live set relib_host would hold")
                .containsPattern("allocator_lock +passed +relib: lock_module_allocator")
                .containsPattern("free_leaks +(passed|warned) +relib: exit\\(\\) freed")
                .containsPattern("final_check +passed");
    }

    @EachEngine
    void unboundImportsAreListedAndRefuseTheLoad(Mode mode) {
        Run run = run(mode, "--keep-going", "-c", "imports " + UNLOADING + "; load " + UNLOADING);

        assertThat(run.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(run.out()).containsPattern("Imports::primitive_ret +value +unbound")
                .contains("13 of 13 import slots unbound");
        assertThat(run.err()).contains("unbound relib imports: Imports::_params_lt_and_output_without, Imports::alloc_mem");
    }

    @EachEngine
    void aVersionMismatchIsRefusedAndForceLoadsItAfterAWarning(Mode mode) {
        Run refused = run(mode, "-c", "load " + MISMATCH);
        assertThat(refused.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.err()).contains("relib_host would refuse it: built for relib 0.6.0")
                .contains("load --force loads it anyway");

        Run forced = run(mode, "-c", "load --force " + MISMATCH + "; info");
        assertThat(forced.exit()).isEqualTo(ExitCode.OK);
        assertThat(forced.out() + forced.err()).contains("relib_host would refuse this module: built for relib 0.6.0")
                .contains("0.6.0 (loaded with --force: relib_host would refuse it)");
    }

    @EachEngine
    void jsonCarriesTheRelibPartAndTheErrorCodes(Mode mode) {
        Run run = run(mode, "--json", "--keep-going", "-c", "load " + NO_UNLOADING + "; load " + MISMATCH
                + "; unload");

        assertThat(run.out()).contains("\"kind\":\"RELIB\"").contains("\"relibVersion\":\"0.7.0\"")
                .contains("\"unloading\":false").contains("\"code\":\"load.relib_mismatch\"")
                .contains("relib cannot unload it safely");
    }
}
