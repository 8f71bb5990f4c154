package dev.relib.shell.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.shell.command.SessionCommands;
import dev.relib.shell.repl.ShellCompleter.Kind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShellCompleterTest {

    private final ShellCompleter completer = new ShellCompleter(SessionCommands.model(), Optional::empty);

    @Test
    void completesCommandNamesAndSubcommands() {
        assertThat(completer.candidates(List.of(""), 0))
                .contains("load", "modules", "info", "exports", "sig", "call", "unload", "check", "source", "help",
                        "history", "quit", "exit", "panics", "import");
        assertThat(completer.candidates(List.of("check", ""), 1)).containsExactlyInAnyOrder("load", "unload");
        assertThat(completer.candidates(List.of("help", ""), 1)).contains("call", "unload");
    }

    @Test
    void completesEachCommandsOwnOptions() {
        assertThat(completer.candidates(List.of("load", "x.so", "--"), 2))
                .contains("--as", "--no-copy", "--untracked", "--help");
        assertThat(completer.candidates(List.of("unload", "-"), 1)).contains("--keep-leaks", "--strict");
        assertThat(completer.candidates(List.of("call", "f", "1", "--"), 3)).contains("--repeat", "--timeout");
        assertThat(completer.candidates(List.of("check", "unload", "-"), 2)).contains("--help")
                .doesNotContain("--strict");
    }

    @Test
    void knowsWhereFilesModulesAndExportsGo() {
        assertThat(completer.kind(List.of("load", ""), 1)).isEqualTo(Kind.PATH);
        assertThat(completer.kind(List.of("check", "load", ""), 2)).isEqualTo(Kind.PATH);
        assertThat(completer.kind(List.of("source", ""), 1)).isEqualTo(Kind.PATH);
        assertThat(completer.kind(List.of("load", "--as", ""), 2)).isEqualTo(Kind.NONE);
        assertThat(completer.kind(List.of("load", "--as", "x", ""), 3)).isEqualTo(Kind.PATH);
        assertThat(completer.kind(List.of("info", ""), 1)).isEqualTo(Kind.MODULE);
        assertThat(completer.kind(List.of("unload", "--strict", ""), 2)).isEqualTo(Kind.MODULE);
        assertThat(completer.kind(List.of("check", "unload", ""), 2)).isEqualTo(Kind.MODULE);
        assertThat(completer.kind(List.of("call", ""), 1)).isEqualTo(Kind.EXPORT);
        assertThat(completer.kind(List.of("sig", ""), 1)).isEqualTo(Kind.EXPORT);
        assertThat(completer.kind(List.of("call", "f", ""), 2)).isEqualTo(Kind.NONE);
    }

    @Test
    void completesTheNamesOfSettings() {
        assertThat(completer.kind(List.of("set", ""), 1)).isEqualTo(Kind.CHOICE);
        assertThat(completer.candidates(List.of("set", ""), 1)).containsExactly("timeout", "load-timeout");
        assertThat(completer.candidates(List.of("set", "timeout", ""), 2)).isEmpty();
    }

    @Test
    void offersNoModulesBeforeTheEngineRuns() {
        assertThat(completer.candidates(List.of("info", ""), 1)).isEmpty();
        assertThat(completer.candidates(List.of("call", ""), 1)).isEmpty();
    }
}
