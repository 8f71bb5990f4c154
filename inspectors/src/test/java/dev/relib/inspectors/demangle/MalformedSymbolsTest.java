package dev.relib.inspectors.demangle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Input that is not a well-formed Rust symbol: always empty, never an exception, in both modes. */
class MalformedSymbolsTest {

    private final RustDemangler hidingHashes = new RustDemangler();
    private final RustDemangler keepingHashes = RustDemangler.keepingHashes();

    @ParameterizedTest
    @ValueSource(strings = {
        "", "test", "memcpy", "_Z3foov", "_ZNK3foo3barEv",
        // Legacy: truncated, no terminator, bad lengths, non-ASCII, suffixes that are not symbol-like.
        "_ZN", "_ZN4test", "_ZN4testE3foo", "_ZNfooE", "_ZN99testE", "_ZN3fo", "_ZN2222222222222222222222EE",
        "_ZN5*70527e27.ll34csaғE", "_ZN4tést3fooE", "_ZN3fooE.llvm moocow", "_ZN3fooEbar", "_ZN3fooE.é",
        // v0: truncated at every kind of production.
        "_R", "_RC", "_RC3fo", "_RNvC3foo", "_RNvC3foo3ba", "_RINvC3foo3barh", "_RMC0", "_RMC0R", "_RMC0A", "_RMC0Ah",
        "_RMC0Ahj4", "_RMC0T", "_RMC0Fh", "_RMC0FhE", "_RMC0DNtC3foo1AE", "_RMC0DNtC3foo1AEL", "_RIC0K", "_RIC0Kj",
        "_RIC0Kj7b", "_RMC0WmRm1_", "_RMC0WmORm1_m2_Rm5_m6_",
        // v0: not a path, bad tags, non-ASCII, an ident that runs past the end.
        "_Rfoo", "_R0C3foo", "_RZ", "_RNvC3fóo3bar", "_RNvC3foo99bar", "_RC99999999999999999999foo",
        "_RNvC3foo3bar.x y", "_RNvC3foo3barZ", "_RMC0FKu3abcEu", "_RMC0FKEu", "_RNvC3foo3barE",
        // v0: backrefs that point forward, at themselves, or loop.
        "_RB_", "_RNvB9_3foo", "_RNvB2_3foo", "_RNvB_1a", "_RMC0RB2_", "_RMC0RB3_", "_RINvC3foo3barBd_E",
        // v0: numbers that overflow, and a disambiguator one past u64.
        "_RNvCsZZZZZZZZZZZZZZZZZZZZZZZ_3foo3bar", "_RNvCsLygHa16AHYF_3foo3bar", "_RIC0Kj10000000000000000000000000000000000000000g_E",
        // v0: constants out of range or badly encoded.
        "_RIC0Kb2_E", "_RIC0Kc110000_E", "_RIC0Kcd800_E", "_RIC0Ke6_E", "_RIC0KeC3_E", "_RIC0Kec328_E", "_RIC0KVNtC3foo3BarXE",
        "_RIC0KzE",
        // v0: a lifetime that no binder introduced.
        "_RINvC3foo3barL0_E", "_RMC0RL0_h", "_RMC0FG_RL1_hEu",
        // Punycode with an empty delta part.
        "_RNvC3foou4abc_3bar",
    })
    void isEmpty(String symbol) {
        assertThat(hidingHashes.demangle(symbol)).as(symbol).isEmpty();
        assertThat(keepingHashes.demangle(symbol)).as(symbol).isEmpty();
        assertThat(hidingHashes.demangleOrSelf(symbol)).isEqualTo(symbol);
    }

    @Test
    void nullIsEmpty() {
        assertThat(hidingHashes.demangle(null)).isEmpty();
    }

    @Test
    @Timeout(10)
    void nestingPastTheDepthLimitIsEmpty() {
        assertThat(hidingHashes.demangle("_RMC0" + "R".repeat(V0Parser.MAX_DEPTH + 1) + "h")).isEmpty();
        assertThat(hidingHashes.demangle("_RMC0" + "A".repeat(1000) + "h")).isEmpty();
        assertThat(hidingHashes.demangle("_RIC0K" + "T".repeat(1000) + "E")).isEmpty();
    }

    @Test
    @Timeout(10)
    void deepNestingHiddenBehindABackrefIsEmpty() {
        // The nesting sits inside an identifier, and a backref later reads it as a type.
        int depth = 100_000;
        String head = "_RIC" + depth;
        String mangled = head + "R".repeat(depth) + "B" + base62(head.length() - 2) + "E";

        assertThat(hidingHashes.demangle(mangled)).isEmpty();
    }

    @Test
    @Timeout(10)
    void exponentialBackrefOutputIsCappedAndEmpty() {
        assertThat(hidingHashes.demangle(doublingTuples(16))).hasValueSatisfying(
                name -> assertThat(name.split("_", -1)).hasSize((1 << 16) + 1));

        assertThat(hidingHashes.demangle(doublingTuples(24))).isEmpty();
        assertThat(hidingHashes.demangle("_RMC0FGZZZ_Eu")).isEmpty();
        assertThat(hidingHashes.demangle("RYFG_FGyyEvRYFF_EvRYFFEvERLB_B_B_ERLRjB_B_B_")).isEmpty();
    }

    /** Nested pairs, each of the level below and a backref to it: 2^levels placeholders. */
    private static String doublingTuples(int levels) {
        // After "_R", "MC0" takes positions 0-2, the tuples 3 to levels + 2, the placeholder levels + 3.
        StringBuilder mangled = new StringBuilder("_RMC0").append("T".repeat(levels)).append('p');
        for (int target = levels + 3; target >= 4; target--) {
            mangled.append('B').append(base62(target)).append('E');
        }
        return mangled.toString();
    }

    @Test
    @Timeout(60)
    void mutatedSymbolsNeverThrow() {
        List<String> seeds = List.of(
                "_RNCINkXs25_NgCsbmNqQUJIY6D_4core5sliceINyB9_4IterhENuNgNoBb_4iter8iterator8Iterator9rpositionNCNgNpB9_6memchr7memrchrs_0E0Bb_",
                "_RINbNbCskIICzLVDPPb_5alloc5alloc8box_freeDINbNiB4_5boxed5FnBoxuEp6OutputuEL_ECs1iopQbuBiw2_3std",
                "_RIC0KVNtC3foo3BarS1sRe616263_2chc78_5sliceRAh1_h2_h3_EEE",
                "_RMC0DG_INtC3foo5TraitRL0_hEp6OutputRL0_tEL_",
                "_RNqCs4fqI2P2rA04_11utf8_identsu30____7hkackfecea1cbdathfdh9hlq6y",
                "_ZN151_$LT$alloc..boxed..Box$LT$alloc..boxed..FnBox$LT$A$C$$u20$Output$u3d$R$GT$$u20$$u2b$$u20$$u27$a$GT$$u20$as$u20$core..ops..function..FnOnce$LT$A$GT$$GT$9call_once17h69e8f44b3723e1caE");
        String alphabet = "_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ$.é";
        Random random = new Random(2603);
        List<Optional<String>> results = new ArrayList<>();
        for (int round = 0; round < 20_000; round++) {
            StringBuilder symbol = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            for (int edit = 1 + random.nextInt(3); edit > 0 && symbol.length() > 0; edit--) {
                int at = random.nextInt(symbol.length());
                switch (random.nextInt(3)) {
                    case 0 -> symbol.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> symbol.deleteCharAt(at);
                    default -> symbol.setLength(at + 1);
                }
            }
            results.add(hidingHashes.demangle(symbol.toString()));
            results.add(keepingHashes.demangle(symbol.toString()));
        }

        assertThat(results).doesNotContainNull();
        assertThat(results).anyMatch(Optional::isEmpty).anyMatch(Optional::isPresent);
    }

    private static String base62(int backrefTarget) {
        // A backref to position p is written as the base-62 digits of p - 1, or "_" for 0.
        if (backrefTarget == 0) {
            return "_";
        }
        String digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        StringBuilder out = new StringBuilder();
        for (int v = backrefTarget - 1; ; v /= 62) {
            out.insert(0, digits.charAt(v % 62));
            if (v < 62) {
                break;
            }
        }
        return out.append('_').toString();
    }
}
