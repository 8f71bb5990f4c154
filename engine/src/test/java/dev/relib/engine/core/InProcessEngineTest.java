package dev.relib.engine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.InProcessEngine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.CallError;
import dev.relib.engine.error.LoadError;
import dev.relib.engine.error.ModuleError;
import dev.relib.engine.error.SignatureError;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.ExportInfo;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.ModuleKind;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.process.ProcessMaps;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithInProcessEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class InProcessEngineTest extends WithInProcessEngine {

    private static final Path SHEEP = SampleModules.rust("sheep");
    private static final Path CSTR = SampleModules.c("cstr");

    @TempDir
    Path work;

    private CallResult call(String symbol, String signature, String... arguments) {
        return engine.call(CallRequest.of(symbol, signature, arguments));
    }

    @Test
    void loadsFromAShadowCopyAndDescribesTheModule() {
        ModuleInfo sheep = engine.load(LoadRequest.of(SHEEP));

        assertThat(sheep.name()).isEqualTo("sheep");
        assertThat(sheep.id()).isEqualTo(1);
        assertThat(sheep.kind()).isEqualTo(ModuleKind.PLAIN);
        assertThat(sheep.source()).isEqualTo(SHEEP.toAbsolutePath().normalize());
        assertThat(sheep.loadedFrom()).isNotEqualTo(sheep.source()).hasFileName("libsheep.so").exists();
        assertThat(sheep.rustcVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(sheep.needed()).contains("libc.so.6");
        assertThat(sheep.nodelete()).isFalse();
        assertThat(ProcessMaps.mappingsOf(sheep.loadedFromIdentity())).isNotEmpty();
        assertThat(ProcessMaps.mappingsOf(sheep.identity())).as("the source itself is not mapped").isEmpty();
        assertThat(engine.modules()).containsExactly(sheep);
    }

    @Test
    void countsSheepThroughAStrReturnedInRegisters() {
        engine.load(LoadRequest.of(SHEEP));

        assertThat(call("count_sheep", "(u32) -> &str", "0").display()).isEqualTo("\"None\"");
        assertThat(call("count_sheep", "(u32) -> &str", "2").value()).isEqualTo("Two");
        CallResult many = call("count_sheep", "count_sheep(u32) -> &'static str", "3");
        assertThat(many.display()).isEqualTo("\"Many\"");
        assertThat(many.signature()).isEqualTo("count_sheep(u32) -> &str");
        assertThat(many.module()).isEqualTo("sheep");
    }

    @Test
    void remembersASignatureFromSigOrFromAnEarlierCall() {
        engine.load(LoadRequest.of(SHEEP));
        assertThatThrownBy(() -> call("count_sheep", null, "1")).isInstanceOf(CallError.NoSignature.class)
                .hasMessageContaining("count_sheep").hasMessageContaining("sig ");

        ExportInfo remembered = engine.rememberSignature(ModuleRef.implied(), "count_sheep(u32) -> &str");
        assertThat(remembered.signatureSource()).isEqualTo(ExportInfo.SignatureSource.REMEMBERED);
        assertThat(call("count_sheep", null, "1").value()).isEqualTo("One");
        assertThat(engine.exports(ModuleRef.of("sheep")))
                .filteredOn(e -> e.symbol().equals("count_sheep"))
                .singleElement().satisfies(e -> {
                    assertThat(e.signature()).isEqualTo("count_sheep(u32) -> &str");
                    assertThat(e.size()).isPositive();
                    assertThat(e.address()).isGreaterThan(engine.info(ModuleRef.implied()).baseAddress());
                });
    }

    @Test
    void repeatsACallAndReportsTheTime() {
        engine.load(LoadRequest.of(SHEEP));

        long started = System.nanoTime();
        CallResult result = engine.call(new CallRequest(ModuleRef.implied(), "count_sheep", "(u32) -> &str",
                List.of("3"), 10_000, null));
        long wall = System.nanoTime() - started;

        assertThat(result.repeat()).isEqualTo(10_000);
        assertThat(result.value()).isEqualTo("Many");
        assertThat(result.totalNanos()).isPositive().isLessThanOrEqualTo(wall);
        assertThat(result.nanosPerCall()).isEqualTo(result.totalNanos() / 10_000.0);
    }

    @Test
    void callsCStringExportsOfAPlainCModule() {
        engine.load(LoadRequest.of(CSTR));

        assertThat(call("greeting", "() -> *const c_char").value()).isEqualTo("hello from C");
        assertThat(call("str_length", "(*const c_char) -> usize", "hello world").value()).isEqualTo(11L);
    }

    @Test
    void badCallsFailWithTypedErrorsAndTheModuleStaysUsable() {
        engine.load(LoadRequest.of(SHEEP));

        assertThatThrownBy(() -> call("no_such_export", "() -> i32"))
                .isInstanceOf(CallError.SymbolNotFound.class).hasMessageContaining("no_such_export");
        assertThatThrownBy(() -> call("count_sheep", "(u32 -> &str", "1"))
                .isInstanceOf(SignatureError.Malformed.class);
        assertThatThrownBy(() -> call("count_sheep", "(u128) -> &str", "1"))
                .isInstanceOf(SignatureError.UnknownType.class).hasMessageContaining("u128");
        assertThatThrownBy(() -> call("count_sheep", "(u32) -> &str"))
                .isInstanceOf(CallError.ArgumentCount.class).hasMessageContaining("1 argument");
        assertThatThrownBy(() -> call("count_sheep", "(u32) -> &str", "4294967296"))
                .isInstanceOf(CallError.BadArgument.class).hasMessageContaining("u32");
        assertThatThrownBy(() -> call("count_sheep", "other_name(u32) -> &str", "1"))
                .isInstanceOf(SignatureError.Malformed.class).hasMessageContaining("other_name");

        assertThat(call("count_sheep", "(u32) -> &str", "1").value()).isEqualTo("One");
    }

    @Test
    void refusesFilesThatCannotBeLoadedHereWithoutMappingAnything() throws Exception {
        Path text = Files.writeString(work.resolve("notes.so"), "not an ELF file\n");
        Path arm = work.resolve("libarm.so");
        byte[] bytes = Files.readAllBytes(SHEEP);
        bytes[18] = (byte) 183;
        bytes[19] = 0;
        Files.write(arm, bytes);

        assertThatThrownBy(() -> engine.load(LoadRequest.of(work.resolve("missing.so"))))
                .isInstanceOf(LoadError.FileNotFound.class).hasMessageContaining("missing.so");
        assertThatThrownBy(() -> engine.load(LoadRequest.of(work)))
                .isInstanceOf(LoadError.NotAFile.class);
        assertThatThrownBy(() -> engine.load(LoadRequest.of(text)))
                .isInstanceOf(LoadError.InvalidElf.class).hasMessageContaining("notes.so");
        assertThatThrownBy(() -> engine.load(LoadRequest.of(arm)))
                .isInstanceOf(LoadError.WrongArchitecture.class).hasMessageContaining("AArch64");
        assertThat(engine.modules()).isEmpty();
        assertThat(ProcessMaps.snapshot()).noneMatch(m -> m.path().startsWith(work.toString()));
    }

    @Test
    void refusesASecondLoadOfTheSameFileUnlessAsNamesASecondInstance() throws Exception {
        ModuleInfo first = engine.load(LoadRequest.of(SHEEP));
        Path link = work.resolve("other-name.so");
        Files.createSymbolicLink(link, SHEEP.toAbsolutePath());

        assertThatThrownBy(() -> engine.load(LoadRequest.of(link)))
                .isInstanceOf(LoadError.AlreadyLoaded.class).hasMessageContaining("'sheep'").hasMessageContaining("--as");
        assertThatThrownBy(() -> engine.load(LoadRequest.of(SHEEP).named("sheep")))
                .isInstanceOf(LoadError.NameTaken.class);
        assertThatThrownBy(() -> engine.load(LoadRequest.of(SHEEP).named("has.dot")))
                .isInstanceOf(LoadError.InvalidName.class);

        ModuleInfo second = engine.load(LoadRequest.of(SHEEP).named("sheep2"));
        assertThat(second.loadedFromIdentity()).isNotEqualTo(first.loadedFromIdentity());
        assertThat(engine.call(new CallRequest(ModuleRef.of("sheep2"), "count_sheep", "(u32) -> &str",
                List.of("1"), 1, null)).value()).isEqualTo("One");
        assertThatThrownBy(() -> engine.info(ModuleRef.implied())).isInstanceOf(ModuleError.Ambiguous.class);
        assertThat(engine.info(ModuleRef.id(second.id())).name()).isEqualTo("sheep2");
        assertThatThrownBy(() -> engine.info(ModuleRef.of("goat")))
                .isInstanceOf(ModuleError.NotLoaded.class).hasMessageContaining("sheep, sheep2");
    }

    @Test
    void refusesAFileSomeoneElseHasMapped() {
        Path libjava = ProcessMaps.snapshot().stream().map(m -> m.path())
                .filter(p -> p.endsWith("/libjava.so")).findFirst().map(Path::of).orElseThrow();

        assertThatThrownBy(() -> engine.load(LoadRequest.of(libjava)))
                .isInstanceOf(LoadError.AlreadyLoaded.class).hasMessageContaining("mapped in this process");
    }

    @Test
    void unloadsAndTheFinalCheckFindsTheFileGone() {
        ModuleInfo sheep = engine.load(LoadRequest.of(SHEEP));

        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));

        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(report.checkFailed()).isFalse();
        assertThat(report.steps()).extracting(UnloadStep::name).endsWith("dlclose", "final_check");
        assertThat(report.steps()).allMatch(s -> s.outcome() != UnloadStep.Outcome.FAILED);
        assertThat(ProcessMaps.mappingsOf(sheep.loadedFromIdentity())).isEmpty();
        assertThat(sheep.loadedFrom()).as("kept, so loading the unchanged file again reuses it").exists();
        assertThat(engine.modules()).isEmpty();
        assertThatThrownBy(() -> call("count_sheep", "(u32) -> &str", "1")).isInstanceOf(ModuleError.NoneLoaded.class);

        ModuleInfo again = engine.load(LoadRequest.of(SHEEP));
        assertThat(again.id()).isEqualTo(2);
    }

    @Test
    void loadsInPlaceWithNoCopy() {
        ModuleInfo sheep = engine.load(new LoadRequest(SHEEP, null, false, true));

        assertThat(sheep.loadedFrom()).isEqualTo(sheep.source());
        assertThat(engine.unload(UnloadRequest.of(ModuleRef.implied())).outcome())
                .isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(SHEEP).exists();
    }
}
