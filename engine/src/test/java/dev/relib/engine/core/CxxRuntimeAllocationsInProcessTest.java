package dev.relib.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.model.AllocationStats;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.LiveBlock;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithInProcessEngine;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * In-process the agent is not the process's malloc, so what libstdc++'s own code allocates for a C++
 * module is not seen (the worker attributes it, see CxxRuntimeAllocationsTest): only what the module's
 * own operators new made is its.
 */
@Timeout(60)
class CxxRuntimeAllocationsInProcessTest extends WithInProcessEngine {

    @Test
    void onlyTheModulesOwnNewIsTrackedNotTheBufferLibstdcxxMakes() {
        engine.load(LoadRequest.of(SampleModules.c("cxxruntime")));
        engine.call(new CallRequest(ModuleRef.implied(), "leak_string", "(u64) -> u64", List.of("200"), 1, null));

        AllocationStats stats = engine.allocations(ModuleRef.implied()).stats();
        assertThat(stats.preloaded()).isFalse();
        assertThat(engine.allocations(ModuleRef.implied()).blocks()).extracting(LiveBlock::size).containsExactly(32L);
    }
}
