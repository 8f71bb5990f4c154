package dev.relib.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.InProcessEngine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.CallError;
import dev.relib.engine.error.LoadError;
import dev.relib.engine.error.SignatureError;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.ExportInfo;
import dev.relib.engine.model.LoadCheckReport;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.ModuleKind;
import dev.relib.engine.model.PanicRecord;
import dev.relib.engine.model.SdkInfo;
import dev.relib.engine.model.SdkInfo.EntryOutcome;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.process.ProcessMaps;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithInProcessEngine;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SDK modules through the in-process engine: the real hello, panicky and imports samples. */
@Timeout(60)
class SdkModulesTest extends WithInProcessEngine {

    private static final Path HELLO = SampleModules.rust("hello");
    private static final Path PANICKY = SampleModules.rust("panicky");
    private static final Path IMPORTS = SampleModules.rust("imports");
    private static final Path FUTURE_ABI = SampleModules.c("sdk_future_abi");
    private static final Path SHEEP = SampleModules.rust("sheep");

    /**
     * panicky's before_unload always panics, so it can never be unloaded and stays in this JVM after
     * the test; untracked, it leaves no module attached to the process-wide agent for later tests.
     */
    private static LoadRequest panickyUntracked() {
        return new LoadRequest(PANICKY, null, true, false);
    }

    private CallResult call(String symbol, String... arguments) {
        return engine.call(CallRequest.of(symbol, null, arguments));
    }

    @Test
    void describesAnSdkModuleWithItsVersionsAndManifest() {
        ModuleInfo hello = engine.load(LoadRequest.of(HELLO));

        assertThat(hello.kind()).isEqualTo(ModuleKind.SDK);
        SdkInfo sdk = hello.sdk();
        assertThat(sdk.abi()).isEqualTo(SdkSession.HOST_ABI);
        assertThat(sdk.sdkVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(sdk.rustcVersion()).startsWith("rustc ");
        assertThat(sdk.crateName()).isEqualTo("hello");
        assertThat(sdk.exports()).contains("add(i32, i32) -> i32", "greet(&str) -> String", "main()", "before_unload()");
        assertThat(sdk.imports()).isEmpty();
        assertThat(sdk.hasMain()).isTrue();
        assertThat(sdk.hasBeforeUnload()).isTrue();
        assertThat(sdk.mainOutcome().status()).as("main runs at load").isEqualTo(EntryOutcome.Status.OK);
    }

    @Test
    void plainModulesHaveNoSdkPart() {
        ModuleInfo sheep = engine.load(LoadRequest.of(SHEEP));

        assertThat(sheep.kind()).isEqualTo(ModuleKind.PLAIN);
        assertThat(sheep.sdk()).isNull();
        assertThat(engine.panics(ModuleRef.of("sheep"))).isEmpty();
    }

    @Test
    void exportsCarryTheManifestSignatures() {
        engine.load(LoadRequest.of(HELLO));

        List<ExportInfo> exports = engine.exports(ModuleRef.implied());

        assertThat(exports).filteredOn(e -> e.symbol().equals("add")).singleElement()
                .satisfies(add -> {
                    assertThat(add.signature()).isEqualTo("add(i32, i32) -> i32");
                    assertThat(add.signatureSource()).isEqualTo(ExportInfo.SignatureSource.MANIFEST);
                });
        assertThat(exports).filteredOn(e -> e.symbol().equals("repeat_byte")).singleElement()
                .extracting(ExportInfo::signature).isEqualTo("repeat_byte(u8, usize) -> Vec<u8>");
    }

    @Test
    void callsEveryTypedExportWithoutASignature() {
        engine.load(LoadRequest.of(HELLO));

        assertThat(call("add", "2", "3").value()).isEqualTo(5L);
        assertThat(call("greet", "world").display()).isEqualTo("\"hello, world\"");
        assertThat(call("greet", "world").returnType()).isEqualTo("String");
        assertThat(call("checksum", "b\"ab\"").value()).isEqualTo((long) (Integer.rotateLeft('a', 5) ^ 'b'));
        assertThat(call("repeat_byte", "7", "3").value()).isEqualTo("hex:070707");
        assertThat(call("version").value()).asString().matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(call("noop").display()).isEqualTo("()");
        assertThat(call("negate", "true").value()).isEqualTo(false);
        assertThat(call("widen_i8", "-100").value()).isEqualTo(-200L);
        assertThat(call("add_i64", "-5", "3").value()).isEqualTo(-2L);
        assertThat(call("add_u16", "65535", "2").value()).isEqualTo(1L);
        assertThat(call("add_u64", "18446744073709551614", "1").value())
                .isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(call("sub_isize", "3", "5").value()).isEqualTo(-2L);
        assertThat(call("half_usize", "9").value()).isEqualTo(4L);
        assertThat(call("scale_f32", "1.5", "2").value()).isEqualTo(3.0);
        assertThat(call("distance", "3", "4").value()).isEqualTo(5.0);
        assertThat(call("next_char", "a").value()).isEqualTo("b");
        assertThat(call("cstr_len", "hello").value()).isEqualTo(5L);
        assertThat(call("greeting_cstr").value()).isEqualTo("hello from C land");
        assertThat(call("point_sum", "None").value()).isEqualTo(-1L);
    }

    @Test
    void ownedReturnsGoBackToTheModule() {
        engine.load(LoadRequest.of(HELLO));
        call("repeat_byte", "1", "1000000");
        long before = residentBytes();

        // 200 MB of Vec<u8> if nothing were freed.
        engine.call(new CallRequest(ModuleRef.implied(), "repeat_byte", null, List.of("1", "1000000"), 200, null));
        CallResult last = engine.call(new CallRequest(ModuleRef.implied(), "greet", null, List.of("x"), 1000, null));

        assertThat(last.display()).isEqualTo("\"hello, x\"");
        assertThat(residentBytes() - before).as("resident growth after 200 one-megabyte returns")
                .isLessThan(50L << 20);
    }

    @Test
    void checksArgumentsAgainstTheManifest() {
        engine.load(LoadRequest.of(HELLO));

        assertThatThrownBy(() -> call("add", "1"))
                .isInstanceOf(CallError.ArgumentCount.class).hasMessageContaining("takes 2 arguments, 1 given");
        assertThatThrownBy(() -> call("add", "1", "x"))
                .isInstanceOf(CallError.BadArgument.class).hasMessageContaining("i32");
        assertThatThrownBy(() -> call("add_u16", "1", "70000"))
                .isInstanceOf(CallError.BadArgument.class).hasMessageContaining("u16");
    }

    @Test
    void aSignatureThatDisagreesWithTheManifestIsRefused() {
        engine.load(LoadRequest.of(HELLO));

        assertThatThrownBy(() -> engine.call(CallRequest.of("add", "(i64, i64) -> i64", "1", "2")))
                .isInstanceOf(SignatureError.Mismatch.class)
                .hasMessageContaining("declares add(i32, i32) -> i32, not add(i64, i64) -> i64");
        assertThatThrownBy(() -> engine.rememberSignature(ModuleRef.implied(), "add(u8) -> u8"))
                .isInstanceOf(SignatureError.Mismatch.class);
        assertThat(engine.call(CallRequest.of("add", "(i32, i32) -> i32", "1", "2")).value())
                .as("an agreeing signature is fine").isEqualTo(3L);
    }

    @Test
    void aPanicInAnExportFailsTheCallAndIsRecorded() {
        engine.load(panickyUntracked());

        assertThatThrownBy(() -> call("divide", "1", "0"))
                .isInstanceOf(CallError.Panicked.class)
                .hasMessageContaining("divide panicked: panicky: divide(1, 0)")
                .hasMessageContaining("src/lib.rs:");

        assertThat(call("still_alive").value()).as("the module stays usable").isEqualTo(7L);
        assertThat(call("divide", "9", "3").value()).isEqualTo(3L);
        PanicRecord panic = engine.panics(ModuleRef.of("panicky")).stream()
                .filter(p -> "divide".equals(p.export())).findFirst().orElseThrow();
        assertThat(panic.message()).isEqualTo("panicky: divide(1, 0)");
        assertThat(panic.file()).endsWith("lib.rs");
        assertThat(panic.line()).isPositive();
        assertThat(panic.threadId()).isPositive();
        assertThat(panic.rawFrames()).isNotEmpty();
        assertThat(panic.backtrace()).as("raw frames only: no std symbolizer cache in the module").isNull();
        assertThat(panic.module()).isEqualTo("panicky");
    }

    @Test
    void aPanicInMainIsRecordedAndMainCanRunAgain() {
        ModuleInfo panicky = engine.load(panickyUntracked());

        assertThat(panicky.sdk().mainOutcome().status()).isEqualTo(EntryOutcome.Status.PANICKED);
        assertThat(panicky.sdk().mainOutcome().message()).contains("panicky: main panicked on purpose");
        assertThat(engine.panics(null)).extracting(PanicRecord::export).containsExactly("main");

        assertThatThrownBy(() -> call("main"))
                .isInstanceOf(CallError.Panicked.class).hasMessageContaining("main panicked on purpose");
        call("calm_main", "true");
        assertThat(call("main").display()).isEqualTo("()");
        assertThat(engine.info(ModuleRef.implied()).sdk().mainOutcome().status()).isEqualTo(EntryOutcome.Status.OK);
    }

    @Test
    void aPanicInAModuleThreadIsRecordedWithoutFailingTheCall() {
        engine.load(panickyUntracked());

        assertThat(call("panic_in_thread").value()).isEqualTo(1L);

        assertThat(engine.panics(ModuleRef.implied())).filteredOn(p -> p.export() == null).singleElement()
                .satisfies(p -> {
                    assertThat(p.message()).isEqualTo("panicky: worker thread panicked");
                    assertThat(p.thread()).isEqualTo("panicky-worker");
                });
    }

    @Test
    void aPanickingBeforeUnloadRefusesTheUnloadAndTheModuleStaysUsable() {
        ModuleInfo panicky = engine.load(panickyUntracked());

        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));

        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.REFUSED);
        assertThat(report.steps()).first().satisfies(step -> {
            assertThat(step.name()).isEqualTo("before_unload");
            assertThat(step.outcome()).isEqualTo(UnloadStep.Outcome.FAILED);
            assertThat(step.detail()).contains("before_unload panicked", "index out of bounds");
        });
        assertThat(report.reasons()).singleElement().asString().contains("index out of bounds");
        assertThat(ProcessMaps.mappingsOf(panicky.loadedFromIdentity())).isNotEmpty();
        assertThat(call("still_alive").value()).isEqualTo(7L);
        assertThat(engine.panics(ModuleRef.implied())).extracting(PanicRecord::export).contains("before_unload");
    }

    @Test
    void unloadRunsBeforeUnloadThenFiniThenUnmaps() {
        ModuleInfo hello = engine.load(LoadRequest.of(HELLO));

        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));

        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(report.steps()).extracting(UnloadStep::name)
                .startsWith("before_unload").containsSubsequence("threads", "sdk_fini", "free_leaks", "dlclose");
        assertThat(report.steps().get(0).outcome()).isEqualTo(UnloadStep.Outcome.PASSED);
        assertThat(ProcessMaps.mappingsOf(hello.loadedFromIdentity())).isEmpty();
    }

    @Test
    void plainModulesSkipBeforeUnload() {
        engine.load(LoadRequest.of(SHEEP));

        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));

        assertThat(report.steps()).first().isEqualTo(
                new UnloadStep("before_unload", UnloadStep.Outcome.SKIPPED, "not an SDK module"));
        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
    }

    @Test
    void anotherAbiIsRefusedNamingBothAndLeavesNothingMapped() {
        assertThatThrownBy(() -> engine.load(LoadRequest.of(FUTURE_ABI)))
                .isInstanceOf(LoadError.SdkAbiMismatch.class)
                .hasMessageContaining("ABI 99")
                .hasMessageContaining("ABI " + SdkSession.HOST_ABI);

        assertThat(engine.modules()).isEmpty();
        assertThat(ProcessMaps.snapshot()).noneMatch(m -> m.toString().contains("libsdk_future_abi"));
    }

    @Test
    void unboundImportsFailTheLoadListingEveryOne() {
        assertThatThrownBy(() -> engine.load(LoadRequest.of(IMPORTS)))
                .isInstanceOf(LoadError.UnboundImports.class)
                .hasMessageContaining("unbound imports: answer() -> u8")
                .satisfies(e -> assertThat(((LoadError.UnboundImports) e).missing()).containsExactly("answer() -> u8"));
        engine.defineImportStub("answer() -> u16 = 42");
        assertThatThrownBy(() -> engine.load(LoadRequest.of(IMPORTS)))
                .as("a stub of the same name but other types does not bind")
                .isInstanceOf(LoadError.UnboundImports.class);

        assertThat(engine.modules()).isEmpty();
        LoadCheckReport check = engine.checkLoad(IMPORTS);
        assertThat(check.ok()).isFalse();
        assertThat(check.findings()).anySatisfy(f -> assertThat(f.code()).isEqualTo("load.unbound_imports"));
    }

    @Test
    void stubsAndBuiltInsBindImports() {
        engine.defineImportStub("answer() -> u8 = 42");

        ModuleInfo imports = engine.load(LoadRequest.of(IMPORTS));

        assertThat(imports.sdk().imports()).containsExactlyInAnyOrder(
                new SdkInfo.ImportBinding("log(u32, &str)", "built-in"),
                new SdkInfo.ImportBinding("now_ns() -> u64", "built-in"),
                new SdkInfo.ImportBinding("answer() -> u8", "stub = 42"));
        assertThat(call("ask").value()).isEqualTo(84L);
        assertThat((Long) call("elapsed_ns", "100000").value()).isPositive();
        assertThat(call("shout", "hi").display()).isEqualTo("()");
        assertThat(engine.importStubs()).singleElement().extracting(s -> s.definition()).isEqualTo("answer() -> u8 = 42");
    }

    @Test
    void anImportThatFailsInTheHostIsCaughtAndBecomesAPanic() {
        engine.defineImportStub("answer() -> u8 = fail \"no answer today\"");
        engine.load(LoadRequest.of(IMPORTS));

        assertThatThrownBy(() -> call("ask"))
                .isInstanceOf(CallError.Panicked.class)
                .hasMessageContaining("import `answer() -> u8` failed in the host: no answer today");

        assertThat(call("elapsed_ns", "10").value()).as("still usable").isNotNull();
        assertThat(engine.panics(ModuleRef.implied())).extracting(PanicRecord::export).containsExactly("ask");
    }

    @Test
    void invalidStubsAreRefused() {
        assertThatThrownBy(() -> engine.defineImportStub("answer() -> u8 = 300"))
                .isInstanceOf(SignatureError.InvalidStub.class).hasMessageContaining("not a valid u8");
        assertThatThrownBy(() -> engine.defineImportStub("answer() -> String = x"))
                .isInstanceOf(SignatureError.InvalidStub.class);
        assertThatThrownBy(() -> engine.defineImportStub("answer() -> u8"))
                .isInstanceOf(SignatureError.InvalidStub.class);
        assertThat(engine.importStubs()).isEmpty();
    }

    private static long residentBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
