package dev.relib.engine.relib.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.call.SignatureParser;
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
 * {@code call --repeat N} of a relib export allocates nothing per call on the Java heap, though it
 * looks at relib's success flag after each call and hands each boxed return to the post function.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelibRepeatAllocationTest {

    private final DynamicLinker linker = new DynamicLinker();
    private long module;

    @BeforeAll
    void open() {
        module = linker.open(SampleModules.rust("relib_fx_no_unloading"));
        HeapAllocations.assertMeasurable();
    }

    @AfterAll
    void close() {
        linker.close(module);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "primitive_ret(i32) -> i32      | -2147483648      |                                      | -2147483648",
            "ref_owned_ret(RStr) -> RString | \"a boxed string\" | __post__relib__Exports_ref_owned_ret | \"a boxed string\"",
    })
    void allocatedBytesDoNotScaleWithCalls(String signatureText, String argument, String postSymbol, String shown) {
        String name = signatureText.substring(0, signatureText.indexOf('('));
        long function = linker.symbol(module, "__relib__Exports_" + name);
        long post = postSymbol == null ? 0 : linker.symbol(module, postSymbol);
        RelibCall call = RelibCall.compile(SignatureParser.parse(signatureText), function, post);
        List<String> arguments = List.of(argument);
        for (int warm = 0; warm < 20; warm++) {
            call.invoke(arguments, 10_000);
        }
        long few = HeapAllocations.during(() -> call.invoke(arguments, 1_000));
        long many = HeapAllocations.during(() -> call.invoke(arguments, 100_000));

        assertThat(call.invoke(arguments, 3).value().display()).isEqualTo(shown);
        assertThat(many).as("bytes allocated by 100,000 calls vs %d by 1,000", few)
                .isLessThan(few + HeapAllocations.SLACK_BYTES);
    }
}
