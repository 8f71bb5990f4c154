package dev.relib.engine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.InProcessEngine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.CallError;
import dev.relib.engine.error.ModuleError;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithInProcessEngine;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code &MOD.SYMBOL} hands one module a function pointer into another. */
@Timeout(60)
class CrossModuleCallTest extends WithInProcessEngine {

    @BeforeEach
    void loadRelayAndFuse() {
        engine.load(LoadRequest.of(SampleModules.rust("relay")));
        engine.load(LoadRequest.of(SampleModules.rust("fuse")));
    }

    private Object runCallback(String... arguments) {
        return engine.call(new CallRequest(ModuleRef.of("relay"), "run_callback", "(*const u8, u32) -> u32",
                List.of(arguments), 1, null)).value();
    }

    @Test
    void passesAnExportOfAnotherModuleAsAFunctionPointer() {
        assertThat(runCallback("&fuse.explode", "0")).as("explode(0) + 1").isEqualTo(1L);
        assertThat(runCallback("null", "5")).as("no callback").isEqualTo(0L);
    }

    @Test
    void anUnknownModuleOrSymbolIsNamed() {
        assertThatThrownBy(() -> runCallback("&nope.explode", "0")).isInstanceOf(ModuleError.NotLoaded.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> runCallback("&fuse.implode", "0")).isInstanceOf(CallError.SymbolNotFound.class)
                .hasMessageContaining("implode");
    }

    @Test
    void aPanicInTheCalledBackModuleFailsTheCallAndKeepsTheCallersJavaFrames() {
        assertThatThrownBy(() -> runCallback("&fuse.explode", "3")).isInstanceOf(CallError.Panicked.class)
                .hasMessageContaining("run_callback -> fuse.explode").hasMessageContaining("fuse: exploded with 3");

        assertThat(engine.panics(ModuleRef.of("fuse"))).singleElement().satisfies(panic -> {
            assertThat(panic.export()).isEqualTo("explode");
            assertThat(panic.rawFrames()).hasSizeGreaterThan(5);
            assertThat(panic.javaFrames()).first().asString().startsWith("dev.relib.engine.core.CallDispatcher.call(");
        });
        assertThat(runCallback("&fuse.explode", "0")).as("both modules still usable").isEqualTo(1L);
    }
}
