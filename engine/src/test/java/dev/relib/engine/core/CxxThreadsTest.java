package dev.relib.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.ModuleThread;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.process.Mapping;
import dev.relib.engine.process.ProcessMaps;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithInProcessEngine;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A C++ module's std::thread and thread_local: libstdc++ starts the thread and registers the
 * destructor with its own calls, past the module's pthread_create and __cxa_thread_atexit_impl.
 * The unload checks must see both all the same, or unload would unmap code a thread still runs,
 * or glibc would keep the module mapped for a destructor it holds.
 */
@Timeout(60)
class CxxThreadsTest extends WithInProcessEngine {

    private long call(String symbol) {
        return ((Number) engine.call(CallRequest.of(symbol, "() -> u32")).value()).longValue();
    }

    private UnloadStep step(UnloadReport report, String name) {
        return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aRunningStdThreadIsTheModulesAndRefusesTheUnloadUntilJoined() {
        ModuleInfo module = engine.load(LoadRequest.of(SampleModules.c("cxxthreads")));
        assertThat(engine.call(CallRequest.of("start_waiting_threads", "(u32) -> u32", "2")).value()).isEqualTo(2L);

        List<Mapping> code = ProcessMaps.mappingsOf(module.loadedFromIdentity()).stream()
                .filter(m -> m.permissions().contains("x")).toList();
        assertThat(engine.threads(ModuleRef.implied()).threads()).hasSize(2)
                .allSatisfy(t -> assertThat(t.state()).isEqualTo(ModuleThread.State.RUNNING))
                .allSatisfy(t -> assertThat(code).as("the module's _M_run runs, not the agent's trampoline")
                        .anyMatch(m -> t.startRoutine() >= m.start() && t.startRoutine() < m.end()));
        UnloadReport refused = engine.unload(UnloadRequest.of(ModuleRef.implied()));
        assertThat(refused.outcome()).isEqualTo(UnloadReport.Outcome.REFUSED);
        assertThat(step(refused, "threads").outcome()).isEqualTo(UnloadStep.Outcome.FAILED);

        assertThat(call("stop_threads")).isEqualTo(2);
        awaitNoRunningThreads();
        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));
        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(ProcessMaps.mappingsOf(module.loadedFromIdentity())).isEmpty();
    }

    @Test
    void threadLocalDestructorsRunAtThreadExitAndAtUnloadAndPinNothing() {
        ModuleInfo module = engine.load(LoadRequest.of(SampleModules.c("cxxthreads")));
        assertThat(call("thread_local_on_a_thread")).as("the thread's thread_local destroyed at its exit").isEqualTo(1);
        assertThat(call("touch_thread_local")).isEqualTo(1);

        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));

        assertThat(step(report, "tls_destructors").detail()).startsWith("ran 1 thread-local destructor");
        assertThat(report.outcome()).as("glibc holds no destructor that pins it").isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(ProcessMaps.mappingsOf(module.loadedFromIdentity())).isEmpty();
    }
}
