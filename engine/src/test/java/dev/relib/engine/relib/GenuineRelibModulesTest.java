package dev.relib.engine.relib;

import static org.assertj.core.api.Assertions.assertThat;

import com.kenai.jffi.MemoryIO;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.loader.FileIdentities;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.LoadCheckReport;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.ModuleKind;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.process.ProcessMaps;
import dev.relib.engine.testing.WithInProcessEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The genuine relib 0.7 modules (see their README): each behaves under the shell as under relib_host.
 * Skipped, with one line, where {@code ../shared/relib-modules} is absent.
 */
@Timeout(120)
class GenuineRelibModulesTest extends WithInProcessEngine {

    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    private long flag;

    /** relib's test host fills the 13 import slots of every test module, whatever its features. */
    @BeforeEach
    void allocateFlagAndStubImports() {
        flag = MEMORY.allocateMemory(8, true);
        RelibFixtures.defineTestInterfaceStubs(engine);
    }

    @AfterEach
    void freeFlag() {
        MEMORY.freeMemory(flag);
    }

    /** Calls {@code __relib__main(bool*) -> RET}; the success flag. */
    private boolean main(String returns) {
        MEMORY.putByte(flag, (byte) 7);
        engine.call(CallRequest.of("__relib__main", "__relib__main(usize) -> " + returns, Long.toString(flag)));
        byte written = MEMORY.getByte(flag);
        assertThat(written).isIn((byte) 0, (byte) 1);
        return written == 1;
    }

    private static UnloadStep step(UnloadReport report, String name) {
        return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private UnloadReport unload() {
        return engine.unload(UnloadRequest.of(ModuleRef.implied()));
    }

    @Test
    void checkLoadReadsGenuineCompilationInfo() {
        LoadCheckReport report = engine.checkLoad(GenuineRelibModules.module("libtest_module-unloading.so"));

        assertThat(report.relib().relibVersion()).isEqualTo("0.7.0");
        assertThat(report.relib().unloading()).isTrue();
        assertThat(report.relib().rustc()).startsWith("1.95.0");
        assertThat(report.relib().refusals()).isEmpty();
        assertThat(report.relib().imports()).hasSize(13);
    }

    @Test
    void liveReloadModuleLoadsRunsMainAndUnloadsClean() {
        ModuleInfo module = engine.load(LoadRequest.of(GenuineRelibModules.module("liblive_reload_module.so")));
        assertThat(module.kind()).isEqualTo(ModuleKind.RELIB);
        assertThat(module.relib().allocTracker()).isTrue();
        assertThat(main("()")).isTrue();

        UnloadReport report = unload();

        assertThat(report.outcome()).as(report.steps().toString()).isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(ProcessMaps.mappingsOf(module.loadedFromIdentity())).isEmpty();
    }

    @Test
    void theFullTestModuleLoadsWithEveryImportBoundAndUnloads() {
        ModuleInfo module = engine.load(LoadRequest.of(GenuineRelibModules.module("libtest_module-unloading.so")));
        assertThat(module.relib().imports()).allSatisfy(i -> assertThat(i.bound()).isTrue());
        assertThat(main("()")).as("main allocates and frees 200 MB and joins a thread").isTrue();

        UnloadReport report = unload();

        assertThat(step(report, "before_unload").outcome()).isEqualTo(UnloadStep.Outcome.PASSED);
        assertThat(report.outcome()).as(report.steps().toString()).isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(ProcessMaps.mappingsOf(module.loadedFromIdentity())).isEmpty();
    }

    @Test
    void exportifyMainsReturnAsUnderRelibHost() {
        engine.load(LoadRequest.of(GenuineRelibModules.module("libtest_module-exportify.so")));
        assertThat(main("()")).isTrue();
        assertThat(unload().outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);

        engine.load(LoadRequest.of(GenuineRelibModules.module("libtest_module-exportify+ret_primitive_main.so")));
        MEMORY.putByte(flag, (byte) 7);
        Object value = engine.call(CallRequest.of("__relib__main", "__relib__main(usize) -> u64",
                Long.toString(flag))).value();
        assertThat(MEMORY.getByte(flag)).isEqualTo((byte) 1);
        assertThat(value.toString()).isEqualTo("18446744073709551615");
        assertThat(unload().outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);

        engine.load(LoadRequest.of(GenuineRelibModules.module("libtest_module-exportify+panic_main.so")));
        assertThat(main("()")).as("relib_host: None").isFalse();
        UnloadReport report = unload();
        assertThat(step(report, "relib").detail()).contains("relib cannot unload it safely");
    }

    @Test
    void threadsCheckRefusesTheUnload() {
        Path path = GenuineRelibModules.module("libtest_module-threads_check.so");
        engine.load(new LoadRequest(path, null, true, false));
        assertThat(main("()")).isTrue();

        UnloadReport report = unload();

        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.REFUSED);
        assertThat(report.reasons()).singleElement().asString().contains("ThreadsStillRunning");
    }

    @Test
    void beforeUnloadPanicRefusesTheUnload() {
        Path path = GenuineRelibModules.module("libtest_module-before_unload_panic.so");
        engine.load(new LoadRequest(path, null, true, false));

        UnloadReport report = unload();

        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.REFUSED);
        assertThat(report.reasons()).singleElement().asString().contains("BeforeUnloadPanicked");
    }

    @Test
    void customGlobalAllocatorsWithAndWithoutUnloading() {
        ModuleInfo plain = engine.load(LoadRequest.of(GenuineRelibModules.module("libcustom_global_alloc.so")));
        assertThat(plain.relib().unloading()).isFalse();
        assertThat(main("()")).isTrue();
        assertThat(step(unload(), "relib").outcome()).isEqualTo(UnloadStep.Outcome.WARNED);

        ModuleInfo unloading = engine.load(LoadRequest.of(
                GenuineRelibModules.module("libcustom_global_alloc-unloading.so")));
        assertThat(unloading.relib().allocTracker()).isTrue();
        assertThat(main("()")).isTrue();
        UnloadReport report = unload();
        assertThat(report.outcome()).as(report.steps().toString()).isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(ProcessMaps.mappingsOf(FileIdentities.of(unloading.loadedFrom()))).isEmpty();
    }
}
