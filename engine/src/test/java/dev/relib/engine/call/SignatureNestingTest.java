package dev.relib.engine.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.error.EngineException;
import dev.relib.engine.error.SignatureError;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Issue 16.1: nesting is bounded, so no input reaches the end of a thread's stack. */
class SignatureNestingTest {

    @Test
    void sevenThousandReferencesAreTooDeepNotAStackOverflow() {
        String text = "id_u8() -> " + "&".repeat(7_000) + "u8";
        assertThatThrownBy(() -> SignatureParser.parse(text))
                .isInstanceOf(SignatureError.TooDeep.class)
                .hasMessageContaining("more than " + SignatureParser.MAX_NESTING + " deep")
                .extracting(e -> ((EngineException) e).code()).isEqualTo("signature.too_deep");
    }

    @Test
    void thirtyThousandRawPointersInAParameterAreTooDeep() {
        String text = "f(" + "*const ".repeat(30_000) + "u8)";
        assertThatThrownBy(() -> SignatureParser.parse(text)).isInstanceOf(SignatureError.TooDeep.class);
    }

    @Test
    void deepGenericsAndArraysAreTooDeep() {
        assertThatThrownBy(() -> SignatureParser.parse("f(" + "Option<".repeat(5_000) + "u8" + ">".repeat(5_000) + ")"))
                .isInstanceOf(SignatureError.TooDeep.class);
        assertThatThrownBy(() -> SignatureParser.parse("f(&" + "[".repeat(5_000) + "u8" + "]".repeat(5_000) + ")"))
                .isInstanceOf(SignatureError.TooDeep.class);
    }

    @Test
    void nestingUpToTheLimitStillParses() {
        String pointers = "*const ".repeat(SignatureParser.MAX_NESTING - 1);
        Signature signature = SignatureParser.parse("f(" + pointers + "u8)");
        assertThat(signature.parameters().get(0).text()).isEqualTo(pointers + "u8");
    }

    /**
     * Property: a random type of random depth, built from every nesting form, either parses to its
     * own canonical spelling or, deeper than the limit, fails with signature.too_deep; never anything else.
     */
    @RepeatedTest(200)
    void randomNestedTypesParseOrAreTooDeep() {
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        int depth = random.nextInt(2 * SignatureParser.MAX_NESTING);
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            switch (random.nextInt(5)) {
                case 0 -> open.append("*const ");
                case 1 -> open.append("*mut ");
                case 2 -> open.append("&'a ");
                case 3 -> open.append("&mut ");
                default -> {
                    open.append("Box<");
                    close.insert(0, '>');
                }
            }
        }
        String type = open + "u32" + close;
        String text = "f(" + type + ")";
        if (depth + 1 > SignatureParser.MAX_NESTING) {
            assertThatThrownBy(() -> SignatureParser.parse(text)).as("seed %d: %s", seed, text)
                    .isInstanceOf(SignatureError.TooDeep.class);
        } else {
            try {
                Signature parsed = SignatureParser.parse(text);
                assertThat(SignatureParser.parse(parsed.canonical()).canonical()).as("seed %d", seed)
                        .isEqualTo(parsed.canonical());
            } catch (SignatureError.UnknownType acceptable) {
                // Box<...> by value cannot be passed: a clean, typed refusal.
            }
        }
    }
}
