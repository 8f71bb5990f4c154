package dev.relib.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.InProcessEngine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CheckFinding;
import dev.relib.engine.model.LiveBlock;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.MappingReport;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.ModuleThread;
import dev.relib.engine.model.ThreadReport;
import dev.relib.engine.model.UnloadCheckReport;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.process.ProcessMaps;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithInProcessEngine;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The unload pipeline with the agent attached: relib's checks, each reported, on real modules. */
@Timeout(60)
class TrackedUnloadTest extends WithInProcessEngine {

    private void call(String symbol, String signature, String... arguments) {
        engine.call(CallRequest.of(symbol, signature, arguments));
    }

    private static Map<String, UnloadStep> steps(UnloadReport report) {
        return report.steps().stream().collect(Collectors.toMap(UnloadStep::name, Function.identity()));
    }

    @Test
    void reportsExactlyWhatWasLeakedFreesItAndUnloads() {
        ModuleInfo leaky = engine.load(LoadRequest.of(SampleModules.rust("leaky")));
        call("leak_bytes", "(usize)", "1000");
        call("leak_bytes", "(usize)", "2000");
        call("leak_bytes", "(usize)", "3000");
        call("alloc_free", "(usize) -> usize", "4096");

        AllocationReport allocs = engine.allocations(ModuleRef.implied());
        assertThat(allocs.stats().liveBlocks()).isEqualTo(3);
        assertThat(allocs.stats().liveBytes()).isEqualTo(6000);
        assertThat(allocs.blocks()).extracting(LiveBlock::size).containsExactly(3000L, 2000L, 1000L);
        assertThat(engine.checkUnload(ModuleRef.implied()).findings()).extracting(CheckFinding::code)
                .contains("live_allocations");

        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));

        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(report.leaks().blocks()).isEqualTo(3);
        assertThat(report.leaks().bytes()).isEqualTo(6000);
        // In-process the agent sees only the module's own frees, so it frees nothing it cannot prove is still the module's.
        assertThat(report.leaks().freed()).isFalse();
        assertThat(report.steps()).extracting(UnloadStep::name).containsExactly(
                "before_unload", "threads", "sdk_fini", "tls_destructors", "free_leaks", "unmap_leaks", "close_fds",
                "dlclose", "final_check");
        assertThat(steps(report).get("free_leaks").outcome()).isEqualTo(UnloadStep.Outcome.WARNED);
        assertThat(steps(report).get("free_leaks").detail()).contains("3 blocks, 6000 bytes")
                .contains("not freed: in-process");
        assertThat(report.checkFailed()).isFalse();
        assertThat(ProcessMaps.mappingsOf(leaky.loadedFromIdentity())).isEmpty();
    }

    @Test
    void strictMakesALeakAFailedCheckButStillUnloads() {
        engine.load(LoadRequest.of(SampleModules.rust("leaky")));
        call("leak_box", "() -> usize");

        UnloadReport report = engine.unload(new UnloadRequest(ModuleRef.implied(), false, true));

        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(report.checkFailed()).isTrue();
        assertThat(steps(report).get("free_leaks").outcome()).isEqualTo(UnloadStep.Outcome.FAILED);
    }

    @Test
    void keepLeaksReportsWithoutFreeing() {
        engine.load(LoadRequest.of(SampleModules.rust("leaky")));
        call("leak_bytes", "(usize)", "1048576");

        UnloadReport report = engine.unload(new UnloadRequest(ModuleRef.implied(), true, false));

        assertThat(report.leaks().freed()).isFalse();
        assertThat(report.leaks().bytes()).isEqualTo(1048576);
        assertThat(steps(report).get("free_leaks").detail()).contains("kept (--keep-leaks)");
        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
    }

    @Test
    void refusesWhileAModuleThreadRunsAndStaysUsable() {
        engine.load(LoadRequest.of(SampleModules.rust("threads")));
        call("spawn_sleeper", "()");
        call("spawn_finisher", "()");
        call("join_finished", "() -> u32");

        ThreadReport threads = engine.threads(ModuleRef.implied());
        assertThat(threads.threads()).hasSize(2);
        assertThat(threads.threads()).extracting(ModuleThread::state)
                .containsExactlyInAnyOrder(ModuleThread.State.RUNNING, ModuleThread.State.EXITED);
        UnloadCheckReport dryRun = engine.checkUnload(ModuleRef.implied());
        assertThat(dryRun.wouldUnload()).isFalse();

        UnloadReport refused = engine.unload(UnloadRequest.of(ModuleRef.implied()));

        assertThat(refused.outcome()).isEqualTo(UnloadReport.Outcome.REFUSED);
        assertThat(refused.runningThreads()).singleElement().extracting(ModuleThread::state)
                .isEqualTo(ModuleThread.State.RUNNING);
        assertThat(steps(refused).get("threads").outcome()).isEqualTo(UnloadStep.Outcome.FAILED);
        assertThat(steps(refused)).doesNotContainKey("dlclose");
        assertThat(engine.modules()).hasSize(1);

        call("stop_sleepers", "() -> u32");
        awaitNoRunningThreads();
        assertThat(engine.unload(UnloadRequest.of(ModuleRef.implied())).outcome())
                .isEqualTo(UnloadReport.Outcome.UNLOADED);
    }

    @Test
    void runsTheModulesThreadLocalDestructorsAtUnload() {
        Pointer counter = Runtime.getSystemRuntime().getMemoryManager().allocateDirect(8, true);
        ModuleInfo tls = engine.load(LoadRequest.of(SampleModules.rust("tls")));
        call("set_drop_counter", "(*mut u64)", "0x" + Long.toHexString(counter.address()));
        call("touch_tls", "()");
        assertThat(counter.getLong(0)).isZero();

        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));

        assertThat(counter.getLong(0)).as("the thread-local's Drop ran").isEqualTo(1);
        assertThat(steps(report).get("tls_destructors").detail()).startsWith("ran 1 thread-local destructor");
        assertThat(report.outcome()).as("glibc holds no destructor that pins it").isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(ProcessMaps.mappingsOf(tls.loadedFromIdentity())).isEmpty();
    }

    @Test
    void listsAndUnmapsTheMappingsAModuleLeaked() {
        engine.load(LoadRequest.of(SampleModules.rust("mmap")));
        call("map_anon", "(usize) -> *mut u8", "65536");

        MappingReport maps = engine.mappings(ModuleRef.implied());
        assertThat(maps.segments()).isNotEmpty().allMatch(s -> s.path().endsWith("libmmap.so"));
        assertThat(maps.mappings()).singleElement().satisfies(m -> {
            assertThat(m.length()).isEqualTo(65536);
            assertThat(m.anonymous()).isTrue();
        });
        long address = maps.mappings().get(0).address();

        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));

        assertThat(steps(report).get("unmap_leaks").detail()).contains("unmapped 1");
        assertThat(ProcessMaps.snapshot()).noneMatch(m -> m.start() <= address && address < m.end()
                && m.path().isEmpty() && m.length() == 65536);
    }

    @Test
    void anUntrackedModuleSkipsWhatOnlyTheAgentKnows() {
        engine.load(new LoadRequest(SampleModules.rust("leaky"), null, true, false));
        call("leak_bytes", "(usize)", "100");

        assertThat(engine.allocations(ModuleRef.implied()).tracked()).isFalse();
        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));

        assertThat(report.leaks()).isNull();
        assertThat(List.of("threads", "tls_destructors", "free_leaks", "unmap_leaks", "close_fds"))
                .allSatisfy(step -> assertThat(steps(report).get(step).outcome()).isEqualTo(UnloadStep.Outcome.SKIPPED));
        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
    }
}
