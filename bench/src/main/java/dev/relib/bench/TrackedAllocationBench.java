package dev.relib.bench;

import dev.relib.engine.agent.Agent;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.testing.SampleModules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the agent on the allocation fast path: {@code box_roundtrip(1000)} (1,000 Box::new/drop
 * pairs) in one copy of libleaky.so attached to the agent and in another copy left untracked, in
 * the same process, on one thread and on two; and in a third copy attached with a call stack per
 * allocation ({@code load --stacks}). Goals: tracked/untracked at most 1.5 on one thread and 2 on
 * two, stacks/untracked at most 5. Scores are per call (1,000 pairs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class TrackedAllocationBench {

    private static final int MODULE_ID = 1;
    private static final int STACKS_MODULE_ID = 2;
    private static final long PAIRS = 1000;

    private Path copies;
    private Agent agent;
    private LeakyModule tracked;
    private LeakyModule untracked;
    private LeakyModule withStacks;

    @Setup(Level.Trial)
    public void load() throws IOException {
        Path leaky = SampleModules.rust("leaky");
        copies = Files.createTempDirectory("relib-bench");
        DynamicLinker linker = new DynamicLinker();
        agent = Agent.load();
        tracked = new LeakyModule(linker, Files.copy(leaky, copies.resolve("libleaky-tracked.so")));
        untracked = new LeakyModule(linker, Files.copy(leaky, copies.resolve("libleaky-untracked.so")));
        withStacks = new LeakyModule(linker, Files.copy(leaky, copies.resolve("libleaky-stacks.so")));
        agent.attach(tracked.handle(), MODULE_ID);
        agent.attach(withStacks.handle(), STACKS_MODULE_ID, true);
    }

    @TearDown(Level.Trial)
    public void unload() throws IOException {
        agent.detach(MODULE_ID);
        tracked.close();
        agent.forget(MODULE_ID);
        agent.detach(STACKS_MODULE_ID);
        withStacks.close();
        agent.forget(STACKS_MODULE_ID);
        untracked.close();
        try (var files = Files.list(copies)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(copies);
    }

    @Benchmark
    public long untracked() {
        return untracked.boxRoundtrip(PAIRS);
    }

    @Benchmark
    public long tracked() {
        return tracked.boxRoundtrip(PAIRS);
    }

    /** Each Box::new records its call stack (frames from the module's code out to the JVM's call). */
    @Benchmark
    public long stacks() {
        return withStacks.boxRoundtrip(PAIRS);
    }

    @Benchmark
    @Threads(2)
    public long untrackedTwoThreads() {
        return untracked.boxRoundtrip(PAIRS);
    }

    @Benchmark
    @Threads(2)
    public long trackedTwoThreads() {
        return tracked.boxRoundtrip(PAIRS);
    }
}
