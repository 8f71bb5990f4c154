package dev.relib.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.InProcessEngine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.EarlierGenerations;
import dev.relib.engine.model.GenerationReport;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.ReloadReport;
import dev.relib.engine.model.ReloadRequest;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.process.ProcessMaps;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithInProcessEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reload with rollback, on real builds of one module copied over each other as a rebuild would. */
@Timeout(60)
class ReloadTest extends WithInProcessEngine {

    @TempDir
    Path work;

    private Path module;

    @BeforeEach
    void installVersionOne() throws IOException {
        module = work.resolve("libversioned.so");
        install(1);
    }

    /** What cargo does: write a new file and rename it over the old one. */
    private void install(int version) throws IOException {
        Path staged = work.resolve("staged.so");
        Files.copy(SampleModules.c("versioned_v" + version), staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, module, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private CallResult version() {
        return engine.call(CallRequest.of("version", null));
    }

    private ReloadReport reload() {
        return engine.reload(ReloadRequest.of(ModuleRef.implied()));
    }

    @Test
    void aRebuiltModuleRunsItsNewCodeUnderTheSameNameAndId() throws IOException {
        ModuleInfo first = engine.load(LoadRequest.of(module));
        engine.rememberSignature(ModuleRef.implied(), "version() -> i32");
        assertThat(version().value()).isEqualTo(1L);

        install(2);
        ReloadReport report = reload();

        assertThat(report.outcome()).isEqualTo(ReloadReport.Outcome.RELOADED);
        assertThat(report.fromGeneration()).isEqualTo(1);
        assertThat(report.toGeneration()).isEqualTo(2);
        assertThat(report.changes().exportsAdded()).containsExactly("extra");
        assertThat(report.changes().exportsRemoved()).isEmpty();
        assertThat(report.changes().sameContent()).isFalse();
        assertThat(report.retired().outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(version().value()).as("remembered signature carried over").isEqualTo(2L);
        ModuleInfo second = engine.info(ModuleRef.implied());
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.name()).isEqualTo("versioned");
        assertThat(second.generation()).isEqualTo(2);
        assertThat(ProcessMaps.mappingsOf(first.loadedFromIdentity())).as("old generation unmapped").isEmpty();
        awaitGone(first.loadedFrom());
    }

    /** Retired copies are deleted in the background, off the reload's path. */
    private static void awaitGone(Path copy) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (Files.exists(copy)) {
            assertThat(System.nanoTime()).as(copy + " is deleted").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void aBrokenNewFileLeavesTheOldGenerationRunning() throws IOException {
        engine.load(LoadRequest.of(module));
        engine.rememberSignature(ModuleRef.implied(), "version() -> i32");
        byte[] whole = Files.readAllBytes(SampleModules.c("versioned_v2"));
        Files.write(module, java.util.Arrays.copyOf(whole, whole.length / 3));

        ReloadReport report = reload();

        assertThat(report.outcome()).isEqualTo(ReloadReport.Outcome.FAILED);
        assertThat(report.reason()).contains("libversioned.so").contains("old generation keeps running");
        assertThat(version().value()).isEqualTo(1L);
        assertThat(engine.info(ModuleRef.implied()).generation()).isEqualTo(1);
        assertThat(engine.modules()).hasSize(1);
    }

    @Test
    void aNewFileMissingARememberedExportIsRefused() throws IOException {
        ModuleInfo running = engine.load(LoadRequest.of(module));
        engine.rememberSignature(ModuleRef.implied(), "feature() -> i32");
        engine.rememberSignature(ModuleRef.implied(), "version() -> i32");
        install(3);

        ReloadReport report = reload();

        assertThat(report.outcome()).isEqualTo(ReloadReport.Outcome.FAILED);
        assertThat(report.reason()).contains("lacks feature");
        assertThat(report.changes().exportsRemoved()).containsExactly("feature");
        assertThat(engine.call(CallRequest.of("feature", null)).value()).isEqualTo(10L);
        assertThat(ProcessMaps.mappingsOf(running.loadedFromIdentity())).isNotEmpty();
        assertThat(ProcessMaps.snapshot()).as("the discarded generation left nothing mapped")
                .noneMatch(m -> m.path().contains("versioned-g2"));
    }

    @Test
    void aRunningThreadRefusesTheReloadAndForceKeepsBoth() throws IOException {
        Path threads = work.resolve("libthreads.so");
        Files.copy(SampleModules.rust("threads"), threads);
        engine.load(LoadRequest.of(threads));
        engine.call(CallRequest.of("spawn_sleeper", "()"));

        ReloadReport refused = reload();

        assertThat(refused.outcome()).isEqualTo(ReloadReport.Outcome.REFUSED);
        assertThat(refused.reason()).contains("still running").contains("discarded");
        assertThat(engine.info(ModuleRef.implied()).generation()).isEqualTo(1);
        assertThat(engine.modules()).hasSize(1);

        ReloadReport forced = engine.reload(new ReloadRequest(ModuleRef.implied(), false, true));

        assertThat(forced.outcome()).isEqualTo(ReloadReport.Outcome.KEPT_BOTH);
        assertThat(forced.keptAs()).isEqualTo("threads@1");
        assertThat(engine.modules()).extracting(ModuleInfo::name, ModuleInfo::generation)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("threads", 2),
                        org.assertj.core.groups.Tuple.tuple("threads@1", 1));
        engine.call(new CallRequest(ModuleRef.of("threads@1"), "stop_sleepers", "() -> u32", List.of(), 1, null));
    }

    @Test
    void lazyReloadPicksUpTheNewFileAtTheNextCall() throws IOException {
        engine.load(new LoadRequest(module, null, true, true, true));
        engine.rememberSignature(ModuleRef.implied(), "version() -> i32");
        assertThat(version().reloadedFirst()).isNull();

        install(2);
        CallResult after = version();

        assertThat(after.value()).isEqualTo(2L);
        assertThat(after.reloadedFirst().outcome()).isEqualTo(ReloadReport.Outcome.RELOADED);
        assertThat(version().reloadedFirst()).as("unchanged since").isNull();
    }

    @Test
    void eachGenerationsLeaksAreReportedWhenItIsRetired() throws IOException {
        Path leaky = work.resolve("libleaky.so");
        Files.copy(SampleModules.rust("leaky"), leaky);
        engine.load(LoadRequest.of(leaky));
        engine.call(CallRequest.of("leak_bytes", "(usize)", "1048576"));
        ReloadReport first = reload();
        engine.call(CallRequest.of("leak_bytes", "(usize)", "2000"));
        engine.call(CallRequest.of("leak_bytes", "(usize)", "3000"));
        reload();

        GenerationReport generations = engine.generations(ModuleRef.implied());

        assertThat(first.retired().leaks().bytes()).isEqualTo(1048576);
        assertThat(generations.currentGeneration()).isEqualTo(3);
        assertThat(generations.retired()).extracting(r -> r.generation(), r -> r.leaked().bytes())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 1048576L),
                        org.assertj.core.groups.Tuple.tuple(2, 5000L));
        assertThat(generations.current().stats().liveBytes()).isZero();
    }

    @Test
    void aLongSessionKeepsTheLatestGenerationsAndFoldsTheOlderOnesIntoOne() throws IOException {
        Path leaky = work.resolve("libleaky.so");
        Files.copy(SampleModules.rust("leaky"), leaky);
        engine.load(LoadRequest.of(leaky));
        int reloads = GenerationHistory.KEPT + 3;
        for (int i = 1; i <= reloads; i++) {
            engine.call(CallRequest.of("leak_bytes", "(usize)", Integer.toString(100 * i)));
            reload();
        }

        GenerationReport generations = engine.generations(ModuleRef.implied());

        assertThat(generations.currentGeneration()).isEqualTo(reloads + 1);
        assertThat(generations.retired()).hasSize(GenerationHistory.KEPT);
        assertThat(generations.retired().get(0).generation()).isEqualTo(4);
        assertThat(generations.retired().get(0).leaked().bytes()).isEqualTo(400);
        EarlierGenerations earlier = generations.earlier();
        assertThat(earlier.count()).isEqualTo(3);
        assertThat(earlier.first()).isEqualTo(1);
        assertThat(earlier.last()).isEqualTo(3);
        assertThat(earlier.leakedBlocks()).isEqualTo(3);
        assertThat(earlier.leakedBytes()).isEqualTo(100 + 200 + 300);
        assertThat(earlier.untracked()).isZero();
        assertThat(earlier.firstLoadedAt()).isBefore(earlier.lastRetiredAt());
    }

    @Test
    void strictRefusesANewFileWhoseManifestChangesASignature() throws IOException {
        Path sdkModule = work.resolve("libswap.so");
        Files.copy(SampleModules.rust("panicky"), sdkModule);
        engine.load(new LoadRequest(sdkModule, null, true, false));
        Path staged = work.resolve("staged-swap.so");
        Files.copy(SampleModules.rust("fuse"), staged);
        Files.move(staged, sdkModule, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        ReloadReport report = engine.reload(new ReloadRequest(ModuleRef.implied(), true, false));

        assertThat(report.outcome()).isEqualTo(ReloadReport.Outcome.REFUSED);
        assertThat(report.changes().signaturesChanged()).singleElement().satisfies(change -> {
            assertThat(change.symbol()).isEqualTo("explode");
            assertThat(change.before()).isEqualTo("explode(&str) -> String");
            assertThat(change.after()).isEqualTo("explode(u32) -> u32");
        });
        assertThat(report.reason()).contains("--strict").contains("explode");
        assertThat(engine.call(CallRequest.of("still_alive", null)).value()).as("the old generation runs").isEqualTo(7L);
    }

    @Test
    void aNewFileBuiltForAnotherSdkAbiLeavesTheOldGenerationRunning() throws IOException {
        Path sdkModule = work.resolve("libgreeting.so");
        Files.copy(SampleModules.rust("hello"), sdkModule);
        engine.load(LoadRequest.of(sdkModule));
        Path staged = work.resolve("staged-abi.so");
        Files.copy(SampleModules.c("sdk_future_abi"), staged);
        Files.move(staged, sdkModule, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        ReloadReport report = reload();

        assertThat(report.outcome()).isEqualTo(ReloadReport.Outcome.FAILED);
        assertThat(report.reason()).contains("99").contains("old generation keeps running");
        assertThat(engine.info(ModuleRef.implied()).generation()).isEqualTo(1);
        assertThat(engine.info(ModuleRef.implied()).sdk()).isNotNull();
    }
}
