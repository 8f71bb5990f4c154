package dev.relib.shell.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.shell.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** {@link CommandLexer#arguments}: call arguments reach the engine as typed (issue 12.4). */
class CallArgumentLexerTest {

    @Test
    void keepsQuotesEscapesAndByteStringPrefixes() {
        assertThat(CommandLexer.arguments(" b\"abc\" \"a\\x41\\u{1F600} b\" 'c' '\\n'"))
                .containsExactly("b\"abc\"", "\"a\\x41\\u{1F600} b\"", "'c'", "'\\n'");
    }

    @Test
    void keepsBracketsAndBracesWithTheirSpacesAsOneWord() {
        assertThat(CommandLexer.arguments("[1, 2, 0xff] 3 {x: 1.5, y: [1, 2]} Point { x: 1, y: \"}\" } --repeat 2"))
                .containsExactly("[1, 2, 0xff]", "3", "{x: 1.5, y: [1, 2]}", "Point { x: 1, y: \"}\" }", "--repeat", "2");
    }

    @Test
    void backslashEscapesAndCommentsOutsideQuotesAsInTheShell() {
        assertThat(CommandLexer.arguments("two\\ words \"#kept\" # dropped")).containsExactly("two words", "\"#kept\"");
    }

    @Test
    void unclosedLiteralsAreUsageErrors() {
        assertThatThrownBy(() -> CommandLexer.arguments("[1, 2")).isInstanceOf(UsageException.class)
                .hasMessageContaining("never closed");
        assertThatThrownBy(() -> CommandLexer.arguments("\"abc")).isInstanceOf(UsageException.class)
                .hasMessageContaining("unterminated \" quote");
    }

    /** Issue 16.4: a 1 MiB word, bare or quoted, is one word with every character (linear scan; timed in bench/). */
    @Test
    void aMebibyteWordBareOrQuotedIsOneWord() {
        String word = "x".repeat(1 << 20);
        assertThat(CommandLexer.arguments(word)).containsExactly(word);
        assertThat(CommandLexer.arguments("\"" + word + "\"")).containsExactly("\"" + word + "\"");
        assertThat(CommandLexer.commands("call f " + word)).singleElement()
                .extracting(CommandText::text).isEqualTo("call f " + word);
        assertThat(CommandLexer.words("load " + word)).containsExactly("load", word);
    }

    /** Property: random literals joined by random blanks come back one word each, as typed. */
    @RepeatedTest(100)
    void randomLiteralsComeBackWordForWord() {
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        List<String> literals = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int count = 1 + random.nextInt(8);
        for (int i = 0; i < count; i++) {
            String literal = switch (random.nextInt(6)) {
                case 0 -> "b\"" + randomText(random) + "\"";
                case 1 -> "\"" + randomText(random) + "\"";
                case 2 -> "[" + random.nextInt(256) + ", " + random.nextInt(256) + " ,0x" + Integer.toHexString(random.nextInt(256)) + "]";
                case 3 -> "{a: [" + random.nextInt(9) + "], b: \"" + randomText(random) + "\"}";
                case 4 -> "0x" + Long.toHexString(random.nextLong() >>> 1);
                default -> "-" + random.nextInt(1000) + ".5";
            };
            literals.add(literal);
            line.append(" ".repeat(1 + random.nextInt(3))).append(literal);
        }
        assertThat(CommandLexer.arguments(line.toString())).as("seed %d: %s", seed, line).isEqualTo(literals);
    }

    /** Text with blanks, brackets, braces, an escaped quote and escapes, but no bare quote. */
    private static String randomText(Random random) {
        String[] pieces = {"a", " ", "[", "]", "{", "}", "\\\"", "\\x41", "\\u{1F600}", "#", ";", "é", "\\\\"};
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }
}
