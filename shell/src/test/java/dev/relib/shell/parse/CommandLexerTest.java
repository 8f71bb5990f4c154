package dev.relib.shell.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.shell.UsageException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLexerTest {

    @Test
    void splitsCommandsAtSemicolonsAndNewLinesAndKeepsTheirLines() {
        List<CommandText> commands = CommandLexer.commands("load a.so; modules\n\n  info #1\n");
        assertThat(commands).containsExactly(
                new CommandText("load a.so", 1), new CommandText("modules", 1), new CommandText("info #1", 3));
    }

    @Test
    void dropsCommentsButNotModuleIds() {
        List<CommandText> commands = CommandLexer.commands("# a script\nexports #2  # the second module\n#done");
        assertThat(commands).extracting(CommandText::text).containsExactly("exports #2");
    }

    @Test
    void keepsSemicolonsAndHashesInsideQuotes() {
        List<CommandText> commands = CommandLexer.commands("call greet(*const c_char) -> *const c_char \"a; #b\"; modules");
        assertThat(commands).extracting(CommandText::text)
                .containsExactly("call greet(*const c_char) -> *const c_char \"a; #b\"", "modules");
    }

    @Test
    void aLifetimeIsNotAQuote() {
        List<CommandText> commands = CommandLexer.commands("call count_sheep(u32) -> &'static str 3; modules");
        assertThat(commands).extracting(CommandText::text)
                .containsExactly("call count_sheep(u32) -> &'static str 3", "modules");
    }

    @Test
    void aBackslashAtTheEndOfALineContinuesTheCommand() {
        assertThat(CommandLexer.commands("load \\\n  a.so\nmodules")).extracting(CommandText::text)
                .containsExactly("load    a.so", "modules");
    }

    @Test
    void wordsRemoveQuotesAndEscapes() {
        assertThat(CommandLexer.words("call f \"hello world\" 'it''s' a\\ b \"tab\\there\" \"q\\\"\""))
                .containsExactly("call", "f", "hello world", "its", "a b", "tab\there", "q\"");
    }

    @Test
    void anEmptyQuotedStringIsAWord() {
        assertThat(CommandLexer.words("call str_length \"\"")).containsExactly("call", "str_length", "");
    }

    @Test
    void wordsStopAtAComment() {
        assertThat(CommandLexer.words("info #1 # which one")).containsExactly("info", "#1");
    }

    @Test
    void anUnterminatedQuoteIsAUsageErrorNamingTheLine() {
        assertThatThrownBy(() -> CommandLexer.commands("modules\ncall f \"oops"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("unterminated \" quote on line 2");
        assertThatThrownBy(() -> CommandLexer.words("call f 'oops"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("unterminated ' quote");
    }
}
