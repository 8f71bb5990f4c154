package dev.relib.engine.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.testing.HeapAllocations;
import dev.relib.engine.testing.SampleModules;
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

    private final DynamicLinker linker = new DynamicLinker();
    private long calc;

    @BeforeAll
    void open() {
        calc = linker.open(SampleModules.rust("calc"));
        HeapAllocations.assertMeasurable();
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
            long few = HeapAllocations.during(() -> call.invoke(prepared, 1_000));
            long many = HeapAllocations.during(() -> call.invoke(prepared, 100_000));

            assertThat(many).as("bytes allocated by 100,000 calls vs %d by 1,000", few)

                    .isLessThan(few + HeapAllocations.SLACK_BYTES);
        }
    }
}
