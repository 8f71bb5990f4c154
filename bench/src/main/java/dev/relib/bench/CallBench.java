package dev.relib.bench;

import dev.relib.engine.call.CallOutcome;
import dev.relib.engine.call.CompiledCall;
import dev.relib.engine.call.PreparedArguments;
import dev.relib.engine.call.SignatureParser;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.testing.SampleModules;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.IgnoreError;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The engine's cost per call of {@code add(i32, i32) -> i32} from libcalc.so, measured as
 * {@code call --repeat} makes calls, next to the same function called through a JNR-FFI interface
 * in the same run. Goal: the engine within 1.3x of JNR-FFI.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CallBench {

    /** Calls per benchmark invocation; scores are per call. */
    private static final int CALLS = 1000;

    /** The baseline binding. {@code @IgnoreError} skips saving errno, as the engine's call context does. */
    public interface Calc {
        @IgnoreError
        int add(int a, int b);
    }

    private DynamicLinker linker;
    private long handle;
    private CompiledCall add;
    private PreparedArguments arguments;
    private Calc jnr;

    @Setup(Level.Trial)
    public void setUp() {
        Path library = SampleModules.rust("calc");
        linker = new DynamicLinker();
        handle = linker.open(library);
        add = CompiledCall.compile(SignatureParser.parse("add(i32, i32) -> i32"), linker.symbol(handle, "add"));
        arguments = add.prepare(List.of("2", "3"));
        jnr = LibraryLoader.create(Calc.class).load(library.toString());
        if (jnr.add(2, 3) != 5 || !Long.valueOf(5).equals(add.invoke(arguments, 1).value().value())) {
            throw new IllegalStateException("add(2, 3) is not 5; the benchmark would measure the wrong thing");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arguments.close();
        linker.close(handle);
    }

    /** What {@code call add(i32, i32) -> i32 2 3 --repeat N} reports as ns/call. */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public Object engineAdd() {
        return add.invoke(arguments, CALLS).value().value();
    }

    /** Baseline: the same calls through JNR-FFI's generated interface. */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int jnrAdd() {
        int result = 0;
        for (int i = 0; i < CALLS; i++) {
            result = jnr.add(2, 3);
        }
        return result;
    }

    /** One whole single call, decoding and outcome records included. */
    @Benchmark
    public CallOutcome engineAddOnce() {
        return add.invoke(arguments, 1);
    }
}
