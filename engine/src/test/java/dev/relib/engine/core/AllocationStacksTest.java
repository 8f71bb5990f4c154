package dev.relib.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.InProcessEngine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.AllocationStack;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.LiveBlock;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.StackFunctions;
import dev.relib.engine.testing.WithInProcessEngine;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Call stacks per allocation, through the engine: load with stacks, allocate, read the stacks back. */
@Timeout(60)
class AllocationStacksTest extends WithInProcessEngine {

    private static LiveBlock blockOfSize(AllocationReport report, long size) {
        return report.blocks().stream().filter(b -> b.size() == size).findFirst().orElseThrow();
    }

    @Test
    void aBlockRecordsTheModuleFunctionsThatAllocatedIt() {
        ModuleInfo leaky = engine.load(LoadRequest.of(SampleModules.rust("leaky")).withStacks());
        engine.call(CallRequest.of("leak_via_nested", "(usize)", "4321"));

        AllocationReport report = engine.allocations(ModuleRef.implied());

        assertThat(report.stacksRecorded()).isTrue();
        LiveBlock block = blockOfSize(report, 4321);
        assertThat(block.stackId()).isNotZero();
        AllocationStack stack = report.stackOf(block).orElseThrow();
        List<String> functions = StackFunctions.of(leaky, stack);
        // The first frame of the crate's own code is the helper that made the Vec; then its callers.
        List<String> crateFrames = functions.stream().filter(f -> f.startsWith("_ZN5leaky")).toList();
        assertThat(crateFrames).hasSizeGreaterThanOrEqualTo(2);
        assertThat(crateFrames.get(0)).contains("nested_inner");
        assertThat(crateFrames.get(1)).contains("nested_outer");
        assertThat(functions).contains("leak_via_nested");
        assertThat(functions.indexOf("leak_via_nested")).isGreaterThan(functions.indexOf(crateFrames.get(1)));
    }

    @Test
    void onlyTheStacksOfLiveBlocksAreReported() {
        engine.load(LoadRequest.of(SampleModules.rust("leaky")).withStacks());
        engine.call(CallRequest.of("leak_via_nested", "(usize)", "100"));
        engine.call(CallRequest.of("leak_bytes", "(usize)", "200"));
        engine.call(CallRequest.of("alloc_free", "(usize) -> usize", "300"));

        AllocationReport report = engine.allocations(ModuleRef.implied());

        assertThat(report.stacks()).extracting(AllocationStack::id)
                .containsExactlyInAnyOrderElementsOf(report.blocks().stream().map(LiveBlock::stackId).distinct().toList());
        assertThat(report.stackOf(blockOfSize(report, 100))).isNotEqualTo(report.stackOf(blockOfSize(report, 200)));
    }

    @Test
    void withoutStacksNoBlockHasOne() {
        engine.load(LoadRequest.of(SampleModules.rust("leaky")));
        engine.call(CallRequest.of("leak_via_nested", "(usize)", "4321"));

        AllocationReport report = engine.allocations(ModuleRef.implied());

        assertThat(report.stacksRecorded()).isFalse();
        assertThat(report.stacks()).isEmpty();
        assertThat(report.blocks()).isNotEmpty().allSatisfy(b -> {
            assertThat(b.stackId()).isZero();
            assertThat(report.stackOf(b)).isEmpty();
        });
    }
}
