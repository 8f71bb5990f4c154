package dev.relib.engine.relib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kenai.jffi.MemoryIO;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.LoadError;
import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CheckFinding;
import dev.relib.engine.model.LoadCheckReport;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.ModuleKind;
import dev.relib.engine.model.RelibInfo;
import dev.relib.engine.model.ReloadReport;
import dev.relib.engine.model.ReloadRequest;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.process.ProcessMaps;
import dev.relib.engine.testing.WithInProcessEngine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** relib 0.7 modules (our fixtures) through the in-process engine: recognition, load order, imports, relib's unload. */
@Timeout(60)
class RelibFixturesTest extends WithInProcessEngine {

    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    private static final Path UNLOADING = RelibFixtures.fixture("unloading");

    /** The success flag a relib export writes, passed as an address (what relib-calls' convention hides). */
    private long flag;

    @BeforeEach
    void allocateFlag() {
        flag = MEMORY.allocateMemory(8, true);
    }

    @AfterEach
    void freeFlag() {
        MEMORY.freeMemory(flag);
    }

    /** Calls {@code __relib__NAME(bool*, ARGS) -> RET} and returns what the success flag says. */
    private boolean callSucceeds(String symbol, String types, String returns, String... arguments) {
        MEMORY.putByte(flag, (byte) 7);
        String[] all = new String[arguments.length + 1];
        all[0] = Long.toString(flag);
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        engine.call(CallRequest.of(symbol, symbol + "(usize" + (types.isEmpty() ? "" : ", " + types) + ") -> " + returns, all));
        byte written = MEMORY.getByte(flag);
        assertThat(written).as("relib writes exactly 0 or 1").isIn((byte) 0, (byte) 1);
        return written == 1;
    }

    private static List<String> stepNames(UnloadReport report) {
        return report.steps().stream().map(UnloadStep::name).toList();
    }

    private static UnloadStep step(UnloadReport report, String name) {
        return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** The bytes relib's exit freed, as the free_leaks step reports them. */
    private static long exitFreed(UnloadReport report) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("relib: exit\\(\\) freed \\d+ blocks?, (\\d+) bytes")
                .matcher(step(report, "free_leaks").detail());
        assertThat(m.find()).as(step(report, "free_leaks").detail()).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** What exit frees for a module that leaked nothing: the tracker's reservations and std's own. */
    private long baselineExitFreed() {
        engine.load(LoadRequest.of(UNLOADING));
        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));
        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
        return exitFreed(report);
    }

    @Test
    void checkLoadReadsTheCompilationInfoFromTheFile() {
        LoadCheckReport report = engine.checkLoad(UNLOADING);

        RelibInfo relib = report.relib();
        assertThat(relib).isNotNull();
        assertThat(relib.relibVersion()).isEqualTo("0.7.0");
        assertThat(relib.unloading()).isTrue();
        assertThat(relib.rustc()).matches("\\d+\\.\\d+\\.\\d+ .*");
        assertThat(relib.llvm()).matches("\\d+\\.\\d+.*");
        assertThat(relib.compilationInfo()).isEqualTo(String.join("|", relib.rustc(), relib.hostTriple(), relib.llvm(),
                "0.7.0", "1"));
        assertThat(relib.refusals()).isEmpty();
        assertThat(report.findings()).extracting(CheckFinding::code).contains("relib_module");
        assertThat(report.findings()).filteredOn(f -> f.code().equals("load.relib_unbound_imports")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("Imports::alloc_mem", "Imports::thread_local_drop_called"));
    }

    @Test
    void aModuleWithoutUnloadingSaysSo() {
        LoadCheckReport report = engine.checkLoad(RelibFixtures.fixture("main_unit"));

        assertThat(report.relib().unloading()).isFalse();
        assertThat(report.ok()).isTrue();
        assertThat(engine.checkLoad(RelibFixtures.fixture("main_unit")).findings())
                .filteredOn(f -> f.code().equals("relib_module")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("unloading off", "cannot unload it safely"));
    }

    @Test
    void anotherRelibVersionIsRefusedUnlessForced() {
        Path mismatch = RelibFixtures.fixture("version_mismatch");

        LoadCheckReport report = engine.checkLoad(mismatch);
        assertThat(report.ok()).isFalse();
        assertThat(report.relib().refusals()).singleElement().asString().contains("relib 0.6.0");
        assertThatThrownBy(() -> engine.load(LoadRequest.of(mismatch)))
                .isInstanceOf(LoadError.RelibMismatch.class)
                .hasMessageContaining("relib 0.6.0").hasMessageContaining("load --force");
        assertThat(engine.modules()).isEmpty();

        ModuleInfo forced = engine.load(LoadRequest.of(mismatch).forced());
        assertThat(forced.kind()).isEqualTo(ModuleKind.RELIB);
        assertThat(forced.relib().forced()).isTrue();
        assertThat(forced.relib().relibVersion()).isEqualTo("0.6.0");
    }

    @Test
    void unboundImportsRefuseTheLoadBeforeAnythingIsMapped() {
        assertThatThrownBy(() -> engine.load(LoadRequest.of(UNLOADING)))
                .isInstanceOfSatisfying(LoadError.RelibUnboundImports.class, e -> assertThat(e.missing())
                        .hasSize(13).contains("Imports::empty", "Imports::ref_owned_ret", "Imports::primitive_ret"));
        assertThat(engine.modules()).isEmpty();
        assertThat(ProcessMaps.mappingsOf(dev.relib.engine.loader.FileIdentities.of(UNLOADING))).isEmpty();
    }

    @Test
    void loadsAsRelibHostDoesAndTheStubsAnswerEveryImport() {
        RelibFixtures.defineTestInterfaceStubs(engine);

        ModuleInfo module = engine.load(LoadRequest.of(UNLOADING));

        assertThat(module.kind()).isEqualTo(ModuleKind.RELIB);
        RelibInfo relib = module.relib();
        assertThat(relib.allocTracker()).as("init reported the tracker's reservations").isTrue();
        assertThat(relib.relibModuleId()).isPositive();
        assertThat(relib.imports()).hasSize(13).allSatisfy(i -> assertThat(i.bound()).isTrue());
        assertThat(relib.imports()).filteredOn(i -> i.name().equals("Imports::ref_ret")).singleElement()
                .satisfies(i -> assertThat(i.boxed()).isTrue());
        assertThat(callSucceeds("__relib__main", "", "()")).isTrue();
        assertThat(callSucceeds("__relib__Exports_call_imports", "", "()"))
                .as("the module checked every import's answer").isTrue();
        assertThat(callSucceeds("__relib__Exports_panic", "", "()")).as("a panic clears the flag").isFalse();
    }

    @Test
    void unloadRunsRelibsSequenceAndExitFreesTheLeak() {
        RelibFixtures.defineTestInterfaceStubs(engine);
        ModuleInfo module = engine.load(LoadRequest.of(UNLOADING));
        assertThat(callSucceeds("__relib__Exports_leak", "usize", "()", "65536")).isTrue();

        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));

        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(stepNames(report)).containsSubsequence("before_unload", "threads", "allocator_lock",
                "tls_destructors", "misc_cleanup", "cached_allocs", "free_leaks", "dlclose", "final_check");
        assertThat(step(report, "before_unload").outcome()).isEqualTo(UnloadStep.Outcome.PASSED);
        assertThat(exitFreed(report)).as("the leak, beside what std and the tracker hold in any module")
                .isEqualTo(baselineExitFreed() + 65536);
        assertThat(step(report, "final_check").outcome()).isEqualTo(UnloadStep.Outcome.PASSED);
        assertThat(ProcessMaps.mappingsOf(module.loadedFromIdentity())).isEmpty();
    }

    @Test
    void threadLocalsMappingsAndKeysAreCleanedUpSoTheFileGoes() {
        RelibFixtures.defineTestInterfaceStubs(engine);
        ModuleInfo module = engine.load(LoadRequest.of(UNLOADING));
        assertThat(callSucceeds("__relib__Exports_thread_locals", "", "()")).isTrue();
        assertThat(callSucceeds("__relib__Exports_mmap_leak", "", "usize")).isTrue();
        assertThat(callSucceeds("__relib__Exports_pthread_key_leak", "", "u32")).isTrue();
        assertThat(callSucceeds("__relib__Exports_backtrace", "", "bool")).isTrue();

        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));

        assertThat(report.outcome()).as(report.steps().toString()).isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(ProcessMaps.mappingsOf(module.loadedFromIdentity())).isEmpty();
    }

    @Test
    void aReloadGetsFreshStatics() {
        RelibFixtures.defineTestInterfaceStubs(engine);
        engine.load(LoadRequest.of(UNLOADING));
        assertThat(onlyCalledOnce()).isTrue();
        assertThat(onlyCalledOnce()).isFalse();

        ReloadReport reload = engine.reload(ReloadRequest.of(ModuleRef.implied()));

        assertThat(reload.retired()).isNotNull();
        assertThat(reload.retired().steps()).extracting(UnloadStep::name).contains("allocator_lock", "cached_allocs");
        assertThat(reload.retired().outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(engine.info(ModuleRef.implied()).generation()).isEqualTo(2);
        assertThat(onlyCalledOnce()).as("the new generation's statics").isTrue();
        assertThat(engine.checkUnload(ModuleRef.implied()).findings()).extracting(CheckFinding::code)
                .contains("relib_live_set").doesNotContain("threads_running");
    }

    private boolean onlyCalledOnce() {
        MEMORY.putByte(flag, (byte) 7);
        Object value = engine.call(CallRequest.of("__relib__Exports_only_called_once",
                "__relib__Exports_only_called_once(usize) -> bool", Long.toString(flag))).value();
        assertThat(MEMORY.getByte(flag)).isEqualTo((byte) 1);
        return (Boolean) value;
    }

    @Test
    void allocsShowRelibsLiveSetBesideTheAgents() {
        RelibFixtures.defineTestInterfaceStubs(engine);
        engine.load(LoadRequest.of(UNLOADING));
        assertThat(callSucceeds("__relib__Exports_churn", "usize", "usize", "20000")).isTrue();
        assertThat(callSucceeds("__relib__Exports_leak", "usize", "()", "12345")).isTrue();

        AllocationReport report = engine.allocations(ModuleRef.implied());

        assertThat(report.relib()).isNotNull();
        assertThat(report.relib().stats().flushes()).as("20,000 ops forced a flush").isPositive();
        assertThat(report.relib().stats().initAllocations()).isEqualTo(2);
        assertThat(report.relib().shared()).as("blocks both relib and the agent hold").isPositive();
        assertThat(report.relib().stats().allocations()).isGreaterThanOrEqualTo(20_000);
    }

    @Test
    void beforeUnloadPanicRefusesAndTheModuleStaysUsable() {
        engine.load(RelibFixtures.untracked("before_unload_panic"));

        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));

        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.REFUSED);
        assertThat(step(report, "before_unload").outcome()).isEqualTo(UnloadStep.Outcome.FAILED);
        assertThat(report.reasons()).singleElement().asString().contains("BeforeUnloadPanicked");
        assertThat(engine.modules()).hasSize(1);
        assertThat(callSucceeds("__relib__main", "", "()")).isTrue();
    }

    @Test
    void runningModuleThreadsRefuseTheUnload() {
        engine.load(RelibFixtures.untracked("threads_check"));
        assertThat(callSucceeds("__relib__main", "", "()")).isTrue();

        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));

        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.REFUSED);
        assertThat(step(report, "threads").detail()).contains("spawned_threads_count() = 1");
        assertThat(report.reasons()).singleElement().asString().contains("ThreadsStillRunning");
    }

    @Test
    void withoutUnloadingTheShellUnloadsWhatItCanAndSaysSo() {
        ModuleInfo module = engine.load(LoadRequest.of(RelibFixtures.fixture("main_u64")));
        assertThat(module.relib().unloading()).isFalse();
        assertThat(module.relib().allocTracker()).isNull();
        assertThat(callSucceeds("__relib__main", "", "u64")).isTrue();

        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));

        assertThat(step(report, "relib").outcome()).isEqualTo(UnloadStep.Outcome.WARNED);
        assertThat(step(report, "relib").detail()).contains("relib cannot unload it safely");
        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
    }

    @Test
    void aCustomAllocatorWithoutTrackerGetsRelibsWarningAndTheAgentFreesTheLeak() {
        engine.load(LoadRequest.of(RelibFixtures.fixture("custom_alloc")));
        assertThat(callSucceeds("__relib__main", "", "()")).isTrue();

        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));

        assertThat(step(report, "free_leaks").detail()).contains("doesn't have a registered global alloc tracker");
        assertThat(step(report, "agent_free_leaks").detail()).startsWith("beyond relib_host");
        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
    }
}
