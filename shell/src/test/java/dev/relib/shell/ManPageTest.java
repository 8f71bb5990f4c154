package dev.relib.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.shell.command.SessionCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The man pages keep up with the command model: a command or option missing from them fails the build. */
class ManPageTest {

    @Test
    void everyCommandHasASectionNamingEachOfItsOptionsAndAnExample() throws IOException {
        String page = Files.readString(RepositoryFiles.root().resolve("man/relib-commands.7"));
        List<CommandLine> commands = new ArrayList<>();
        leaves(SessionCommands.model(), commands);
        assertThat(commands).hasSizeGreaterThanOrEqualTo(13);
        for (CommandLine command : commands) {
            String name = command.getCommandSpec().qualifiedName(" ").substring("relib ".length());
            String section = section(page, name);
            assertThat(section).as("section for '%s' in man/relib-commands.7", name).isNotNull();
            assertThat(section).as("example for '%s'", name).contains("Example");
            for (OptionSpec option : command.getCommandSpec().options()) {
                if (option.usageHelp()) {
                    continue;
                }
                for (String optionName : option.names()) {
                    assertThat(section).as("option %s of '%s'", optionName, name).contains(roff(optionName));
                }
            }
            for (String alias : command.getCommandSpec().aliases()) {
                assertThat(section).as("alias %s of '%s'", alias, name).contains(alias);
            }
        }
        assertThat(page).contains("\\-\\-help");
    }

    @Test
    void theProgramPageNamesEveryOptionAndExitCode() throws IOException {
        String page = Files.readString(RepositoryFiles.root().resolve("man/relib.1"));
        for (OptionSpec option : new CommandLine(new MainOptions()).getCommandSpec().options()) {
            for (String name : option.names()) {
                assertThat(page).as("option %s in man/relib.1", name).contains(roff(name));
            }
        }
        for (int code = ExitCode.OK; code <= ExitCode.CRASHED; code++) {
            assertThat(page).contains(".B " + code + "\n");
        }
    }

    private static void leaves(CommandLine parent, List<CommandLine> out) {
        for (var entry : parent.getSubcommands().entrySet()) {
            CommandLine sub = entry.getValue();
            if (!entry.getKey().equals(sub.getCommandName())) {
                continue;
            }
            if (sub.getSubcommands().isEmpty()) {
                out.add(sub);
            } else {
                leaves(sub, out);
            }
        }
    }

    /** The text from {@code .SS NAME} to the next section heading, or null. */
    private static String section(String page, String name) {
        String[] lines = page.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].equals(".SS " + name) || lines[i].startsWith(".SS " + name + " ")) {
                StringBuilder text = new StringBuilder(lines[i]).append('\n');
                for (int j = i + 1; j < lines.length && !lines[j].startsWith(".SS") && !lines[j].startsWith(".SH"); j++) {
                    text.append(lines[j]).append('\n');
                }
                return text.toString();
            }
        }
        return null;
    }

    private static String roff(String optionName) {
        return optionName.replace("-", "\\-");
    }
}
