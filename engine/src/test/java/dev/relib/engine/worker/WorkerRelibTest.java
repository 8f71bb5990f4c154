package dev.relib.engine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.WorkerCrash;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CrashReport;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.ModuleKind;
import dev.relib.engine.model.ReloadReport;
import dev.relib.engine.model.ReloadRequest;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.relib.RelibFixtures;
import dev.relib.engine.testing.WithWorkerEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** relib modules in the worker: their records travel, and relib's aborts become crash reports that name the module. */
@Timeout(120)
class WorkerRelibTest extends WithWorkerEngine {

    @Test
    void relibRecordsTravelAcrossTheProcessBoundary() {
        RelibFixtures.defineTestInterfaceStubs(engine);

        ModuleInfo module = engine.load(LoadRequest.of(RelibFixtures.fixture("unloading")));

        assertThat(module.kind()).isEqualTo(ModuleKind.RELIB);
        assertThat(module.relib().allocTracker()).isTrue();
        assertThat(module.relib().imports()).hasSize(13);
        assertThat(engine.allocations(ModuleRef.implied()).relib().stats().initAllocations()).isEqualTo(2);
        assertThat(engine.unload(UnloadRequest.of(ModuleRef.implied())).outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
    }

    @Test
    void aReloadRunsTheNewGenerationsMainAsRelibsLiveReloadLoopDoes() {
        RelibFixtures.defineTestInterfaceStubs(engine);
        engine.load(LoadRequest.of(RelibFixtures.fixture("unloading")));
        assertThat(output).noneSatisfy(line -> assertThat(line.text()).contains("[module] main called"));

        ReloadReport report = engine.reload(ReloadRequest.of(ModuleRef.implied()));

        assertThat(report.outcome()).isEqualTo(ReloadReport.Outcome.RELOADED);
        assertThat(report.retired().steps()).extracting(UnloadStep::name).contains("before_unload", "cached_allocs");
        assertThat(output).anySatisfy(line -> assertThat(line.text()).contains("[module] before_unload"));
        assertThat(output).anySatisfy(line -> assertThat(line.text()).contains("[module] main called"));
    }

    @Test
    void unrecoverableIsACrashReportNamingTheModuleAndTheMessage() {
        engine.load(LoadRequest.of(RelibFixtures.fixture("dealloc_validation")));

        // The success flag's address does not matter: the module aborts before it returns.
        assertThatThrownBy(() -> engine.call(CallRequest.of("__relib__Exports_dealloc_invalid",
                "__relib__Exports_dealloc_invalid(usize) -> ()", "0")))
                .isInstanceOf(WorkerCrash.class);

        CrashReport crash = engine.lastCrash().orElseThrow();
        assertThat(crash.signal()).isEqualTo("SIGABRT");
        assertThat(crash.cause()).contains("relib module relib_fx_dealloc_validation")
                .contains("invalid pointer was passed to dealloc of global allocator");
    }
}
