package dev.relib.inspectors.demangle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3492's sample strings (section 7.1), split at the last '-' as v0 mangling splits them. */
class PunycodeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|egbpdaj6bu4bxfgehfvwxn|ليهمابتكلموشعربي؟",
        "''|ihqwcrb4cv8a8dqg056pqjye|他们为什么不说中文",
        "Proprostnemluvesky|uyb24dma41a|Pročprostěnemluvíčesky",
        "''|4dbcagdahymbxekheh6e0a7fei0b|למההםפשוטלאמדבריםעברית",
        "PorqunopuedensimplementehablarenEspaol|fmd56a|PorquénopuedensimplementehablarenEspañol",
        "3B|ww4c5e180e575a65lsy2b|3年B組金八先生",
        "''|d9juau41awczczp|そのスピードで",
        "gre|6ka8l|grüße",
    })
    void decodesRfcSamples(String basic, String deltas, String expected) {
        assertThat(Punycode.decode(basic, deltas)).contains(expected);
    }

    @Test
    void decodesAstralCodePoints() {
        assertThat(Punycode.decode("", "e28h")).contains("\uD83D\uDE00");
    }

    @Test
    void rejectsInvalidInput() {
        assertThat(Punycode.decode("abc", "")).isEmpty();
        assertThat(Punycode.decode("", "A")).isEmpty();
        assertThat(Punycode.decode("", "-")).isEmpty();
        assertThat(Punycode.decode("", "9")).isEmpty();
        assertThat(Punycode.decode("", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")).isEmpty();
        assertThat(Punycode.decode("", "99999999")).isEmpty();
    }
}
