package dev.relib.bench;

import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.testing.SampleModules;
import dev.relib.inspectors.symbols.AddressSpace;
import dev.relib.inspectors.symbols.Frame;
import dev.relib.inspectors.symbols.FunctionSymbol;
import dev.relib.inspectors.symbols.ObjectSymbols;
import dev.relib.inspectors.symbols.Symbolizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * Symbolizing a 64-frame backtrace spread over a Rust module, a C module and libc, once their
 * tables are loaded (goal: under 5 ms), next to finding each frame's mapping alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SymbolizeBench {

    private static final int FRAMES = 64;

    private final DynamicLinker linker = new DynamicLinker();
    private final List<Long> handles = new ArrayList<>();
    private long[] backtrace;
    private AddressSpace space;
    private Symbolizer symbolizer;

    @Setup(Level.Trial)
    public void setUp() {
        List<Long> addresses = new ArrayList<>();
        addresses.addAll(addressesIn(SampleModules.rust("sheep"), "count_sheep", 30));
        addresses.addAll(addressesIn(SampleModules.c("cstr"), "str_length", 4));
        addresses.addAll(addressesIn(Path.of("libc.so.6"), "malloc", FRAMES - addresses.size()));
        backtrace = addresses.stream().mapToLong(Long::longValue).toArray();
        space = AddressSpace.capture();
        symbolizer = new Symbolizer();
        List<Frame> frames = symbolizer.symbolizeReturnAddresses(backtrace, space);
        if (frames.stream().anyMatch(frame -> frame.function() == null)) {
            throw new IllegalStateException("a frame did not resolve; the benchmark would measure the wrong thing: "
                    + frames);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        handles.forEach(linker::close);
    }

    /** Object, function, offset and file:line for each of the 64 frames. */
    @Benchmark
    public List<Frame> symbolize64Frames() {
        return symbolizer.symbolizeReturnAddresses(backtrace, space);
    }

    /** The mapping of each frame, the part no symbolizer can skip. */
    @Benchmark
    public int mappingLookup64Frames() {
        int found = 0;
        for (long address : backtrace) {
            found += space.mappingAt(address).isPresent() ? 1 : 0;
        }
        return found;
    }

    /** Addresses a few bytes into {@code count} functions of the object, spread over its symbol table. */
    private List<Long> addressesIn(Path object, String export, int count) {
        long handle = linker.open(object);
        handles.add(handle);
        Optional<dev.relib.engine.process.Mapping> mapping = AddressSpace.capture()
                .mappingAt(linker.symbol(handle, export));
        List<FunctionSymbol> functions = ObjectSymbols.open(Path.of(mapping.orElseThrow().path())).functionSymbols()
                .stream().filter(s -> s.size() > 8).toList();
        List<Long> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add(linker.loadBias(handle) + functions.get(i * functions.size() / count).address() + 4);
        }
        return addresses;
    }
}
