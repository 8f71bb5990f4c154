package dev.relib.engine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.model.AllocationStats;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.LiveBlock;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithWorkerEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker runs with the agent preloaded, so every free in it retires a tracked block: blocks that
 * leave a module without a free through its own GOT (libc's getline growing its buffer, reallocarray,
 * a block freed by an untracked library) are counted exactly, and its unload frees nothing that
 * another module's canary string now occupies (issue 11).
 */
@Timeout(120)
class WorkerPreloadedAgentTest extends WithWorkerEngine {

    @TempDir
    Path dir;

    private CallResult call(String module, String symbol, String signature, String... arguments) {
        return engine.call(new CallRequest(ModuleRef.of(module), symbol, signature, List.of(arguments), 1, null));
    }

    @Test
    void blocksThatLeaveTheModuleAreRetiredAndTheUnloadSparesAnotherModulesCanary() throws IOException {
        Path text = Files.writeString(dir.resolve("line.txt"), "l".repeat(300) + "\n");
        engine.load(new LoadRequest(SampleModules.c("canary"), "canary", true, false));
        for (int generation = 0; generation < 2; generation++) {
            engine.load(LoadRequest.of(SampleModules.c("handoff")));
            assertThat(call("handoff", "read_line_grow", "(*const c_char) -> i64", text.toString()).value()).isEqualTo(301L);
            long line = ((Number) call("handoff", "line_size", "() -> u64").value()).longValue();
            assertThat(call("handoff", "grow_array", "(u64) -> u64", "1000").value()).isEqualTo(8000L);
            long given = ((Number) call("handoff", "give", "(u64) -> u64", "64").value()).longValue();
            call("canary", "take_and_free", "(u64)", Long.toString(given));
            call("canary", "make_canary", "(u32, u64) -> u64", Integer.toString(generation), "64");

            AllocationStats stats = engine.allocations(ModuleRef.of("handoff")).stats();
            assertThat(stats.preloaded()).isTrue();
            assertThat(engine.allocations(ModuleRef.of("handoff")).blocks()).extracting(LiveBlock::size)
                    .containsExactlyInAnyOrder(line, 8000L);
            assertThat(stats.passthroughFrees()).isZero();
            assertThat(stats.peakBytes()).isEqualTo(line + 8000 + 64);
            assertThat(stats.peakBound()).isZero();

            UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.of("handoff")));
            assertThat(report.leaks().freed()).isTrue();
            assertThat(report.steps()).filteredOn(s -> s.name().equals("free_leaks")).extracting(UnloadStep::detail)
                    .singleElement().asString().contains("leaked 2 blocks, " + (line + 8000) + " bytes").contains("freed 2");
            for (int g = 0; g <= generation; g++) {
                assertThat(call("canary", "canary_intact", "(u32) -> i32", Integer.toString(g)).value()).isEqualTo(1L);
            }
        }
    }
}
