package dev.relib.engine.relib.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.CallError;
import dev.relib.engine.error.SignatureError;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.ExportInfo;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.relib.RelibFixtures;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.PanicRecord;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithInProcessEngine;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * relib exports through the in-process engine, on our relib 0.7 fixtures without unloading (they
 * need no {@code init}): names, the success flag, boxed returns freed through {@code __post__},
 * RStr arguments, panics read from the module's panic output.
 */
@Timeout(60)
class RelibCallsTest extends WithInProcessEngine {

    @BeforeEach
    void bindTheTestInterfacesImports() {
        // relib_host refuses a module with unbound import slots; these are what relib's test host binds.
        RelibFixtures.defineTestInterfaceStubs(engine);
    }

    private static Path fixture(String name) {
        return SampleModules.rust("relib_fx_" + name);
    }

    private CallResult call(String symbol, String signature, String... arguments) {
        return engine.call(CallRequest.of(symbol, signature, arguments));
    }

    @Test
    void listsExportsByRelibNameWithPostFunctionsFolded() {
        engine.load(LoadRequest.of(fixture("no_unloading")));

        List<ExportInfo> exports = engine.exports(ModuleRef.implied());

        List<String> shown = exports.stream().filter(e -> !e.relib().machinery()).map(e -> e.relib().name()).toList();
        assertThat(shown).containsExactlyInAnyOrder("main", "Exports::panic", "Exports::call_host_panic",
                "Exports::primitive_ret", "Exports::ref_owned_ret", "Exports::call_imports");
        assertThat(exports).filteredOn(e -> e.symbol().equals("__post__relib__Exports_ref_owned_ret"))
                .singleElement().satisfies(e -> assertThat(e.relib().machinery()).isTrue());
        assertThat(exports).filteredOn(e -> e.symbol().equals("__relib__Exports_ref_owned_ret"))
                .singleElement().satisfies(e -> assertThat(e.relib().boxed()).isTrue());
        assertThat(exports).filteredOn(e -> e.symbol().equals("__relib__main")).singleElement()
                .satisfies(e -> assertThat(e.signature()).isEqualTo("main()"));
    }

    @Test
    void callsMainWithTheSuccessFlag() {
        engine.load(LoadRequest.of(fixture("main_unit")));

        CallResult result = call("main", null);

        assertThat(result.symbol()).isEqualTo("main");
        assertThat(result.display()).isEqualTo("()");
    }

    @Test
    void readsAnUnboxedU64Main() {
        engine.load(LoadRequest.of(fixture("main_u64")));

        CallResult result = call("main", "() -> u64");

        assertThat(result.value()).isEqualTo(new BigInteger("18446744073709551615"));
    }

    @Test
    void readsABoxedRStringMainAndFreesItThroughPost() {
        ModuleInfo module = engine.load(LoadRequest.of(fixture("main_rstring")));
        // The first call makes std's stdout buffer (println!), which lives as long as the module.
        call("main", "() -> RString");
        long liveBefore = engine.allocations(ModuleRef.implied()).stats().liveBytes();

        CallResult result = engine.call(new CallRequest(ModuleRef.implied(), "main", "() -> RString", List.of(), 50, null));

        assertThat(result.value()).isEqualTo("ret_heap_main");
        assertThat(result.display()).isEqualTo("\"ret_heap_main\"");
        assertThat(result.repeat()).isEqualTo(50);
        assertThat(engine.allocations(ModuleRef.implied()).stats().liveBytes())
                .as("50 boxes and their strings went back to %s's allocator", module.name())
                .isEqualTo(liveBefore);
    }

    @Test
    void aBoxedMainNeedsItsTypeNamed() {
        engine.load(LoadRequest.of(fixture("main_rstring")));

        assertThatThrownBy(() -> call("main", null)).isInstanceOf(CallError.RelibReturnType.class)
                .hasMessageContaining("call main -> RString");
        assertThatThrownBy(() -> call("main", "() -> u64")).isInstanceOf(CallError.RelibReturnType.class)
                .hasMessageContaining("boxed");
    }

    @Test
    void anUnboxedExportCannotBeReadAsBoxed() {
        engine.load(LoadRequest.of(fixture("main_u64")));

        assertThatThrownBy(() -> call("main", "() -> RString")).isInstanceOf(CallError.RelibReturnType.class)
                .hasMessageContaining("directly");
    }

    @Test
    void passesPrimitivesAndRStrAndReadsTheBoxedCopy() {
        engine.load(LoadRequest.of(fixture("no_unloading")));

        assertThat(call("Exports::primitive_ret", "(i32) -> i32", "-2147483648").value()).isEqualTo(-2147483648L);
        CallResult copy = call("Exports::ref_owned_ret", "(RStr) -> RString", "\"hello, relib\"");
        assertThat(copy.value()).isEqualTo("hello, relib");
        assertThat(copy.signature()).isEqualTo("Exports::ref_owned_ret(RStr) -> RString");
        assertThat(call("Exports::ref_owned_ret", null, "again").value()).as("remembered").isEqualTo("again");
    }

    @Test
    void aPanicIsReportedWithMessageAndLocationAndKept() {
        engine.load(LoadRequest.of(fixture("main_panic")));

        assertThatThrownBy(() -> call("main", null)).isInstanceOf(CallError.Panicked.class)
                .hasMessageContaining("main panicked: expected panic at ")
                .hasMessageContaining("main-panic/src/lib.rs:");

        List<PanicRecord> panics = engine.panics(null);
        assertThat(panics).singleElement().satisfies(p -> {
            assertThat(p.message()).isEqualTo("expected panic");
            assertThat(p.file()).endsWith("main-panic/src/lib.rs");
            assertThat(p.line()).isPositive();
            assertThat(p.export()).isEqualTo("main");
        });
    }

    @Test
    void aPanickingExportNeverGivesAValueAndStopsARepeat() {
        engine.load(LoadRequest.of(fixture("no_unloading")));

        assertThatThrownBy(() -> engine.call(new CallRequest(ModuleRef.implied(), "Exports::primitive_ret", "(i32) -> i32",
                List.of("1"), 5, null)))
                .isInstanceOf(CallError.Panicked.class)
                .hasMessageContaining("Exports::primitive_ret panicked: assertion `left == right` failed")
                .hasMessageNotContaining("(in call");
        assertThat(engine.panics(null)).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("left: 1").contains("right: -2147483648"));
    }

    @Test
    void abiStableTypesAreRefusedForPlainModules() {
        engine.load(LoadRequest.of(SampleModules.rust("sheep")));

        assertThatThrownBy(() -> call("count_sheep", "(u32) -> RString", "3"))
                .isInstanceOf(SignatureError.RelibTypeOutsideRelib.class);
    }

    @Test
    void theRawSymbolIsAPlainFunctionWithTheFlagFirst() {
        engine.load(LoadRequest.of(fixture("no_unloading")));
        long flag = com.kenai.jffi.MemoryIO.getInstance().allocateMemory(8, true);
        try {
            CallResult raw = call("__relib__Exports_primitive_ret", "(*mut bool, i32) -> i32",
                    "0x" + Long.toHexString(flag), "-2147483648");

            assertThat(raw.value()).isEqualTo(-2147483648L);
            assertThat(com.kenai.jffi.MemoryIO.getInstance().getByte(flag)).as("success flag").isEqualTo((byte) 1);
        } finally {
            com.kenai.jffi.MemoryIO.getInstance().freeMemory(flag);
        }
    }
}
