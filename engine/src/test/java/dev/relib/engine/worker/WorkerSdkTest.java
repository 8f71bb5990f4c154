package dev.relib.engine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.EngineException;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.ImportStub;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.PanicRecord;
import dev.relib.engine.model.RestartReport;
import dev.relib.engine.model.SdkInfo;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithWorkerEngine;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SDK modules across the process boundary: the records travel, and stubs survive a restart. */
@Timeout(120)
class WorkerSdkTest extends WithWorkerEngine {

    private Object call(String module, String symbol, String... arguments) {
        return engine.call(new CallRequest(ModuleRef.of(module), symbol, null, List.of(arguments), 1, null)).value();
    }

    @Test
    void panicsTravelAsRecordsAndFailTheCallWithTheirCode() {
        engine.load(LoadRequest.of(SampleModules.rust("panicky")));

        assertThatThrownBy(() -> call("panicky", "divide", "4", "0"))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("panicky: divide(4, 0)")
                .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo("call.panicked"));

        List<PanicRecord> panics = engine.panics(null);
        assertThat(panics).extracting(PanicRecord::export).containsExactly("main", "divide");
        assertThat(panics.get(1).rawFrames()).isNotEmpty().allSatisfy(frame -> assertThat(frame).isPositive());
        assertThat(call("panicky", "still_alive")).isEqualTo(7L);
    }

    @Test
    void stubsBindInTheWorkerAndAreDefinedAgainAfterARestart() {
        ImportStub stub = engine.defineImportStub("answer() -> u8 = 21");
        ModuleInfo imports = engine.load(LoadRequest.of(SampleModules.rust("imports")));

        assertThat(stub.definition()).isEqualTo("answer() -> u8 = 21");
        assertThat(imports.sdk().imports()).contains(new SdkInfo.ImportBinding("answer() -> u8", "stub = 21"));
        assertThat(call("imports", "ask")).isEqualTo(42L);
        assertThat(output).anySatisfy(line -> assertThat(line.text()).contains("imports: the host answered 21"));

        RestartReport restarted = engine.restart();

        assertThat(restarted.failed()).isEmpty();
        assertThat(restarted.reloaded()).extracting(ModuleInfo::name).containsExactly("imports");
        assertThat(engine.importStubs()).containsExactly(stub);
        assertThat(call("imports", "ask")).isEqualTo(42L);
    }
}
