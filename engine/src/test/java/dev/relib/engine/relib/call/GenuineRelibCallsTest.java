package dev.relib.engine.relib.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.CallError;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.ExportInfo;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.relib.RelibFixtures;
import dev.relib.engine.testing.WithInProcessEngine;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The genuine relib 0.7 exportify modules (built from relib's unchanged source, in the team's
 * {@code ../shared/relib-modules/} beside the checkout), with relib_host's reference results:
 * {@code main} gives Some(()), Some(u64::MAX), Some("ret_heap_main") and None.
 */
@Timeout(60)
class GenuineRelibCallsTest extends WithInProcessEngine {

    @BeforeEach
    void bindTheTestInterfacesImports() {
        // relib_host refuses a module with unbound import slots; these are what relib's test host binds.
        RelibFixtures.defineTestInterfaceStubs(engine);
    }

    private static Path folder;

    @BeforeAll
    static void findFolder() {
        folder = genuineModules();
        Assumptions.assumeTrue(folder != null,
                "skipped: ../shared/relib-modules (genuine relib 0.7 modules) is not beside this checkout");
    }

    /** {@code ../shared/relib-modules} from the checkout's root (the folder holding sample-modules/). */
    static Path genuineModules() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("sample-modules"))) {
                Path shared = dir.resolve("../shared/relib-modules").normalize();
                return Files.isDirectory(shared) ? shared : null;
            }
        }
        return null;
    }

    private void load(String file) {
        engine.load(LoadRequest.of(folder.resolve(file)));
    }

    @Test
    void exportifyMainReturnsUnit() {
        load("libtest_module-exportify.so");

        assertThat(engine.call(CallRequest.of("main", null)).display()).isEqualTo("()");
        assertThat(engine.exports(ModuleRef.implied())).filteredOn(e -> !e.relib().machinery())
                .extracting(ExportInfo::symbol).contains("__relib__main")
                .noneMatch(symbol -> symbol.startsWith("__post__"));
    }

    @Test
    void retPrimitiveMainReturnsU64Max() {
        load("libtest_module-exportify+ret_primitive_main.so");

        assertThat(engine.call(CallRequest.of("main", "() -> u64")).value())
                .isEqualTo(new BigInteger("18446744073709551615"));
    }

    @Test
    void retHeapMainReturnsTheBoxedRString() {
        load("libtest_module-exportify+ret_heap_main.so");

        assertThat(engine.call(CallRequest.of("main", "() -> RString")).value()).isEqualTo("ret_heap_main");
    }

    @Test
    void panicMainIsAPanicNotAValue() {
        load("libtest_module-exportify+panic_main.so");

        assertThatThrownBy(() -> engine.call(CallRequest.of("main", null)))
                .isInstanceOf(CallError.Panicked.class)
                .hasMessageStartingWith("main panicked: ");
        assertThat(engine.panics(null)).singleElement().satisfies(p -> {
            assertThat(p.file()).isNotNull();
            assertThat(p.export()).isEqualTo("main");
        });
    }
}
