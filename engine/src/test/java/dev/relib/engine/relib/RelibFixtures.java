package dev.relib.engine.relib;

import dev.relib.engine.Engine;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.testing.SampleModules;
import java.nio.file.Path;
import java.util.List;

/** Our relib 0.7 fixtures ({@code sample-modules/relib-fixtures}) and the import stubs relib's test host would give them. */
public final class RelibFixtures {

    private RelibFixtures() {
    }

    public static Path fixture(String name) {
        return SampleModules.rust("relib_fx_" + name);
    }

    /**
     * For a fixture that can never be unloaded (a refused unload leaves it in this JVM): untracked,
     * it leaves no module attached to the process-wide agent for later tests.
     */
    public static LoadRequest untracked(String name) {
        return new LoadRequest(fixture(name), null, true, false);
    }

    /**
     * What relib's test host answers for the 13 imports of the test interface, as constants: the
     * module calls them with {@code "1"} x 100, so {@code ref_ret} gives its tail, {@code ref_ret2} and
     * {@code ref_owned_ret} the string itself.
     */
    public static List<String> testInterfaceStubs() {
        String hundred = "\"" + "1".repeat(100) + "\"";
        return List.of(
                "Imports::empty() = ()",
                "Imports::empty_default() = ()",
                "Imports::dbg_default() = ()",
                "Imports::ref_(RStr) = ()",
                "Imports::ref_ret(RStr) -> RStr = \"" + "1".repeat(99) + "\"",
                "Imports::ref_ret2(RStr, RStr) -> RStr = " + hundred,
                "Imports::_params_lt_and_output_without(RStr, RStr) -> RString = \"\"",
                "Imports::ref_owned_ret(RStr) -> RString = " + hundred,
                "Imports::primitive(i32) = ()",
                "Imports::primitive_ret(i32) -> i32 = -2147483648",
                "Imports::alloc_mem() -> RVec<u8> = \"\\x01\\x01\\x01\\x01\"",
                "Imports::panic() = ()",
                "Imports::thread_local_drop_called() = ()");
    }

    public static void defineTestInterfaceStubs(Engine engine) {
        testInterfaceStubs().forEach(engine::defineImportStub);
    }
}
