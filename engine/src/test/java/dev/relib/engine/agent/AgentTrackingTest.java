package dev.relib.engine.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kenai.jffi.MemoryIO;
import dev.relib.engine.error.EngineFailure;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.model.AllocationStats;
import dev.relib.engine.model.FreedLeaks;
import dev.relib.engine.model.LeakedMapping;
import dev.relib.engine.model.LiveBlock;
import dev.relib.engine.model.ModuleThread;
import dev.relib.engine.model.UnmappedMappings;
import dev.relib.engine.testing.SampleModules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AgentTrackingTest {

    private final DynamicLinker linker = new DynamicLinker();
    private final Agent agent = Agent.load();

    @Test
    void countsExactlyWhatTheModuleLeaksAndFreesIt() {
        LoadedModule leaky = LoadedModule.open(linker, SampleModules.rust("leaky"));
        agent.attach(leaky.handle(), 1);
        leaky.call("leak_bytes", 1000);
        leaky.call("leak_bytes", 2000);
        leaky.call("leak_bytes", 3000);
        leaky.call("alloc_free", 4096);
        assertThat(leaky.call("box_roundtrip", 10)).isEqualTo(45);

        AllocationStats stats = agent.stats(1);
        assertThat(stats.liveBlocks()).isEqualTo(3);
        assertThat(stats.liveBytes()).isEqualTo(6000);
        assertThat(stats.totalAllocations()).isEqualTo(3 + 1 + 10);
        assertThat(stats.totalFrees()).isEqualTo(1 + 10);
        assertThat(stats.peakBytes()).isGreaterThanOrEqualTo(6000);
        List<LiveBlock> blocks = agent.blocks(1);
        assertThat(blocks).extracting(LiveBlock::size).containsExactlyInAnyOrder(1000L, 2000L, 3000L);
        assertThat(blocks).allSatisfy(block -> assertThat(block.address()).isNotZero());

        assertThat(agent.freeBlocks(1)).isEqualTo(new FreedLeaks(3, 6000));
        assertThat(agent.stats(1).liveBytes()).isZero();
        leaky.unload(agent, 1);
        assertThat(leaky.stillMapped()).isFalse();
    }

    @Test
    void recordsModuleThreadsRunningThenExited() {
        LoadedModule threads = LoadedModule.open(linker, SampleModules.rust("threads"));
        agent.attach(threads.handle(), 2);
        Instant before = Instant.now();
        threads.call("spawn_sleeper");

        ModuleThread running = await(() -> agent.threads(2).get(0), t -> t.name().equals("relib-sleeper"));
        assertThat(running.state()).isEqualTo(ModuleThread.State.RUNNING);
        assertThat(running.tid()).isPositive();
        assertThat(running.startRoutine()).isNotZero();
        assertThat(running.startedAt()).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(running.exitedAt()).isNull();
        assertThat(agent.stats(2).threadsRunning()).isEqualTo(1);

        assertThat(threads.call("stop_sleepers")).isEqualTo(1);
        ModuleThread exited = await(() -> agent.threads(2).get(0), t -> t.state() == ModuleThread.State.EXITED);
        assertThat(exited.name()).isEqualTo("relib-sleeper");
        assertThat(exited.tid()).isEqualTo(running.tid());
        assertThat(exited.exitedAt()).isAfterOrEqualTo(exited.startedAt());
        AllocationStats stats = agent.stats(2);
        assertThat(stats.threadsStarted()).isEqualTo(1);
        assertThat(stats.threadsRunning()).isZero();

        threads.unload(agent, 2);
        assertThat(threads.stillMapped()).isFalse();
    }

    @Test
    void runsTheCallingThreadsThreadLocalDestructorAtUnload() {
        long counter = MemoryIO.getInstance().allocateMemory(8, true);
        try {
            LoadedModule tls = LoadedModule.open(linker, SampleModules.rust("tls"));
            agent.attach(tls.handle(), 3);
            tls.call("set_drop_counter", counter);
            tls.call("touch_tls");
            assertThat(agent.stats(3).tlsDestructorsPending()).isEqualTo(1);
            assertThat(MemoryIO.getInstance().getLong(counter)).isZero();

            assertThat(agent.runTlsDestructors(3)).isEqualTo(1);
            assertThat(MemoryIO.getInstance().getLong(counter)).isEqualTo(1);
            assertThat(agent.stats(3).tlsDestructorsPending()).isZero();
            tls.unload(agent, 3);
            assertThat(tls.stillMapped()).as("a kept destructor no longer pins the module").isFalse();
        } finally {
            MemoryIO.getInstance().freeMemory(counter);
        }
    }

    @Test
    void recordsAndUnmapsALeakedMapping() {
        LoadedModule mmap = LoadedModule.open(linker, SampleModules.rust("mmap"));
        agent.attach(mmap.handle(), 4);
        assertThat(mmap.call("map_and_unmap", 8192)).isZero();
        long address = mmap.call("map_anon", 5 * 4096);

        assertThat(agent.mappings(4)).containsExactly(new LeakedMapping(address, 5 * 4096, 3, 0x22, true));
        assertThat(agent.stats(4).mappingBytes()).isEqualTo(5 * 4096);
        assertThat(agent.unmapMappings(4)).isEqualTo(new UnmappedMappings(1, 5 * 4096));
        assertThat(agent.mappings(4)).isEmpty();
        mmap.unload(agent, 4);
        assertThat(mmap.stillMapped()).isFalse();
    }

    @Test
    void explainsFailuresWithStableCodes() {
        assertThatThrownBy(() -> agent.stats(999))
                .isInstanceOfSatisfying(EngineFailure.class, e -> assertThat(e.code()).isEqualTo("agent.unknown_module"))
                .hasMessageContaining("#999");
        LoadedModule leaky = LoadedModule.open(linker, SampleModules.rust("leaky"));
        agent.attach(leaky.handle(), 5);
        assertThatThrownBy(() -> agent.attach(leaky.handle(), 5))
                .isInstanceOfSatisfying(EngineFailure.class, e -> assertThat(e.code()).isEqualTo("agent.attached"));
        assertThatThrownBy(() -> agent.forget(5))
                .isInstanceOfSatisfying(EngineFailure.class, e -> assertThat(e.code()).isEqualTo("agent.attached"));
        leaky.unload(agent, 5);
        assertThatThrownBy(() -> agent.detach(5))
                .isInstanceOfSatisfying(EngineFailure.class, e -> assertThat(e.code()).isEqualTo("agent.unknown_module"));
    }

    private static <T> T await(Supplier<T> read, java.util.function.Predicate<T> done) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        T value = read.get();
        while (!done.test(value) && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            value = read.get();
        }
        assertThat(done.test(value)).as("condition met within 10 s, last value %s", value).isTrue();
        return value;
    }
}
