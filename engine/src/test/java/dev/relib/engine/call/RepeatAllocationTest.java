package dev.relib.engine.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.testing.SampleModules;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The repeat loop allocates nothing per call: what one {@code invoke} allocates on the Java heap
 * (the outcome records) must not grow with the number of calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RepeatAllocationTest {

    /** Slack for one-off allocations (class init, JIT deoptimization); far below 100,000 calls of anything. */
    private static final long SLACK_BYTES = 4096;

    private final DynamicLinker linker = new DynamicLinker();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long calc;

    @BeforeAll
    void open() {
        calc = linker.open(SampleModules.rust("calc"));
        // The probe must see allocations, or every comparison below would pass vacuously.
        assertThat(threads.isThreadAllocatedMemoryEnabled()).isTrue();
        byte[][] sink = new byte[1][];
        assertThat(allocatedDuring(() -> sink[0] = new byte[100_000])).isGreaterThanOrEqualTo(100_000);
    }

    @AfterAll
    void close() {
        linker.close(calc);
    }

    /** One signature per route: jffi's int path, its long path (floats too), and arguments by address. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "add(i32, i32) -> i32                                 | 2, 3",
            "mix(i32, f64, u8, f32) -> f64                        | 1, 2.5, 3, 4.5",
            "version() -> &str                                    | ",
            "sum8(i64, i64, i64, i64, i64, i64, i64, i64) -> i64  | 1, 2, 3, 4, 5, 6, 7, 8",
            "sum_bytes(&[u8]) -> u64                              | hex:01020304",
    })
    void allocatedBytesDoNotScaleWithCalls(String signatureText, String arguments) {
        Signature signature = SignatureParser.parse(signatureText);
        CompiledCall call = CompiledCall.compile(signature, linker.symbol(calc, signature.name()));
        List<String> texts = arguments == null ? List.of() : List.of(arguments.split(", "));
        try (PreparedArguments prepared = call.prepare(texts)) {
            for (int warm = 0; warm < 20; warm++) {
                call.invoke(prepared, 10_000);
            }
            long few = allocatedDuring(() -> call.invoke(prepared, 1_000));
            long many = allocatedDuring(() -> call.invoke(prepared, 100_000));

            assertThat(many).as("bytes allocated by 100,000 calls vs %d by 1,000", few).isLessThan(few + SLACK_BYTES);
        }
    }

    private long allocatedDuring(Runnable work) {
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        work.run();
        return threads.getThreadAllocatedBytes(thread) - before;
    }
}
