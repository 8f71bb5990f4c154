package dev.relib.engine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.InProcessEngine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.LoadError;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CheckFinding;
import dev.relib.engine.model.LoadCheckReport;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.UnloadCheckReport;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.process.ProcessMaps;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithInProcessEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code check load}, {@code check unload}, and a module that stays mapped after dlclose. */
@Timeout(60)
class UnloadChecksTest extends WithInProcessEngine {

    @Test
    void aNodeleteModuleIsReportedStillMappedAndTheReasonNamed() {
        ModuleInfo module = engine.load(LoadRequest.of(SampleModules.c("nodelete")));
        assertThat(module.nodelete()).isTrue();
        assertThat(engine.call(CallRequest.of("nodelete_answer", "() -> i32")).value()).isEqualTo(42L);

        UnloadCheckReport dryRun = engine.checkUnload(ModuleRef.implied());
        assertThat(dryRun.wouldUnload()).isFalse();
        assertThat(dryRun.findings()).anySatisfy(f -> assertThat(f.message()).contains("DF_1_NODELETE"));

        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));
        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.STILL_MAPPED);
        assertThat(report.checkFailed()).isTrue();
        assertThat(report.reasons()).anySatisfy(r -> assertThat(r).contains("DF_1_NODELETE"));
        assertThat(report.steps()).last().satisfies(step -> {
            assertThat(step.name()).isEqualTo("final_check");
            assertThat(step.outcome()).isEqualTo(UnloadStep.Outcome.FAILED);
        });
        assertThat(ProcessMaps.mappingsOf(module.loadedFromIdentity())).isNotEmpty();
        assertThat(engine.modules()).as("its handle is released; it is no longer a module").isEmpty();
    }

    @Test
    void anObjectThatNeedsTheModuleIsNamedUntilItIsClosed() {
        ModuleInfo module = engine.load(LoadRequest.of(SampleModules.c("depended")));
        DynamicLinker linker = new DynamicLinker();
        // Opened behind the engine's back: glibc binds its DT_NEEDED to the loaded copy, by SONAME.
        Path dependent = SampleModules.c("dependent");
        long handle = linker.open(dependent);
        try {
            UnloadCheckReport dryRun = engine.checkUnload(ModuleRef.implied());

            assertThat(dryRun.wouldUnload()).isFalse();
            assertThat(dryRun.findings()).anySatisfy(f -> assertThat(f.message())
                    .isEqualTo("would stay mapped: " + dependent + " depends on it (DT_NEEDED) and is still loaded"));
        } finally {
            linker.close(handle);
        }
        assertThat(engine.checkUnload(ModuleRef.implied()).wouldUnload()).isTrue();
        assertThat(engine.unload(UnloadRequest.of(ModuleRef.implied())).outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(ProcessMaps.mappingsOf(module.loadedFromIdentity())).isEmpty();
    }

    @Test
    void aModuleThatNeedsTheModuleIsNamedOnceAsTheModule() {
        engine.load(LoadRequest.of(SampleModules.c("depended")));
        engine.load(LoadRequest.of(SampleModules.c("dependent")));

        UnloadCheckReport dryRun = engine.checkUnload(ModuleRef.of("depended"));

        assertThat(dryRun.findings()).filteredOn(f -> f.code().equals("still_mapped")).extracting(CheckFinding::message)
                .containsExactly("would stay mapped: module 'dependent' depends on it (DT_NEEDED) and is still loaded");
        engine.unload(UnloadRequest.of(ModuleRef.of("dependent")));
        assertThat(engine.checkUnload(ModuleRef.of("depended")).wouldUnload()).isTrue();
    }

    @Test
    void aPlainModuleWouldUnloadCleanly() {
        engine.load(LoadRequest.of(SampleModules.rust("sheep")));

        UnloadCheckReport dryRun = engine.checkUnload(ModuleRef.implied());

        assertThat(dryRun.wouldUnload()).isTrue();
        assertThat(engine.modules()).hasSize(1);
    }

    @Test
    void checkLoadNamesTheNeededLibraryNothingResolves() {
        Path needsGone = SampleModules.c("needsgone");

        LoadCheckReport report = engine.checkLoad(needsGone);

        assertThat(report.ok()).isFalse();
        assertThat(report.needed()).contains("libgone.so");
        assertThat(report.unresolvedNeeded()).containsExactly("libgone.so");
        assertThatThrownBy(() -> engine.load(LoadRequest.of(needsGone)))
                .isInstanceOf(LoadError.UnresolvedNeeded.class).hasMessageContaining("libgone.so");
        assertThat(engine.modules()).isEmpty();
    }

    @Test
    void checkLoadPassesAGoodFileAndReportsABadOneWithoutThrowing() {
        LoadCheckReport good = engine.checkLoad(SampleModules.rust("sheep"));
        assertThat(good.ok()).isTrue();
        assertThat(good.rustcVersion()).isNotBlank();
        assertThat(good.unresolvedNeeded()).isEmpty();

        LoadCheckReport missing = engine.checkLoad(Path.of("no/such/libthing.so"));
        assertThat(missing.ok()).isFalse();
        assertThat(missing.findings()).singleElement().extracting(CheckFinding::code).isEqualTo("load.not_found");

        engine.load(LoadRequest.of(SampleModules.rust("sheep")));
        LoadCheckReport again = engine.checkLoad(SampleModules.rust("sheep"));
        assertThat(again.ok()).isFalse();
        assertThat(again.findings()).anySatisfy(f -> assertThat(f.code()).isEqualTo("load.already_loaded"));
    }
}
