package dev.relib.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The reading of a script's arguments without picocli: what picocli reads, and never a script where picocli sees none. */
class PlainScriptArgumentsTest {

    @Test
    void theShapesAScriptIsRunWithReadAsPicocliReadsThem() {
        List<String[]> plain = List.of(
                args("s.relib"), args("-c", "modules"), args("--command", "load x; unload"), args("--command=modules"),
                args("--json", "s.relib"), args("s.relib", "-k"), args("--keep-going", "--json", "-c", "modules"),
                args("~/s.relib"));
        for (String[] shape : plain) {
            Optional<MainOptions> read = PlainScriptArguments.read(shape);
            assertThat(read).as(String.join(" ", shape)).isPresent();
            MainOptions picocli = picocli(shape);
            assertThat(read.get().file).as(String.join(" ", shape)).isEqualTo(picocli.file);
            assertThat(read.get().commands).isEqualTo(picocli.commands);
            assertThat(read.get().json).isEqualTo(picocli.json);
            assertThat(read.get().keepGoing).isEqualTo(picocli.keepGoing);
            assertThat(picocli.inProcess).isFalse();
        }
        assertThat(PlainScriptArguments.read("~/s.relib").orElseThrow().file)
                .as("~ expanded as picocli's converter does").isNotEqualTo(Path.of("~/s.relib"));
    }

    @Test
    void anythingElseReadsAsNoScript() {
        List<String[]> others = List.of(
                args(), args("--help"), args("-h"), args("--version"), args("--completion", "bash"),
                args("--in-process", "s.relib"), args("s.relib", "--in-process"), args("--bogus", "s.relib"),
                args("a.relib", "b.relib"), args("-c", "modules", "s.relib"), args("-c"), args("-c", "--json"),
                args("-c", "a", "-c", "b"), args("--json", "--json", "s.relib"), args("-kc", "modules"),
                args("--", "s.relib"), args("-"), args(""), args("@options.txt"), args("-c", "@options.txt"));
        for (String[] shape : others) {
            assertThat(PlainScriptArguments.read(shape)).as(String.join(" ", shape)).isEmpty();
        }
    }

    private static MainOptions picocli(String... args) {
        MainOptions options = new MainOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    private static String[] args(String... args) {
        return args;
    }
}
