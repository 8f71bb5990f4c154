package dev.relib.bench;

import dev.relib.engine.Engine;
import dev.relib.engine.InProcessEngine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.worker.WorkerEngine;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a trivial command costs when the engine runs in the worker process (a JSON line each way
 * over a Unix socket, plus the output sync) next to the in-process engine (a hop onto the module
 * owner thread). Goal: a worker round trip well under 1 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RoundTripBench {

    private Engine worker;
    private Engine inProcess;
    private CallRequest add;

    @Setup(Level.Trial)
    public void setUp() {
        worker = WorkerEngine.start(line -> { });
        inProcess = InProcessEngine.start();
        add = new CallRequest(ModuleRef.implied(), "add", "(i32, i32) -> i32", List.of("2", "3"), 1, null);
        for (Engine engine : List.of(worker, inProcess)) {
            engine.load(LoadRequest.of(SampleModules.rust("calc")));
            if (!Long.valueOf(5).equals(engine.call(add).value()) || engine.modules().size() != 1) {
                throw new IllegalStateException("add(2, 3) is not 5; the benchmark would measure the wrong thing");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        worker.close();
        inProcess.close();
    }

    /** {@code modules} against the worker: the shell's round trip for a trivial command. */
    @Benchmark
    public List<ModuleInfo> workerModules() {
        return worker.modules();
    }

    /** Baseline: {@code modules} against the in-process engine. */
    @Benchmark
    public List<ModuleInfo> inProcessModules() {
        return inProcess.modules();
    }

    /** {@code call add(i32, i32) -> i32 2 3} against the worker. */
    @Benchmark
    public CallResult workerCallAdd() {
        return worker.call(add);
    }

    /** Baseline: the same call in-process. */
    @Benchmark
    public CallResult inProcessCallAdd() {
        return inProcess.call(add);
    }
}
