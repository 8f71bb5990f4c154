package dev.relib.shell.command;

import dev.relib.shell.UsageException;
import dev.relib.shell.render.Output;
import dev.relib.shell.render.TextWrap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "help", description = "List the commands, or show one command's usage: help call, help check unload.")
public final class HelpCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Parameters(arity = "0..2", paramLabel = "COMMAND", description = "The command (and subcommand) to explain.")
    List<String> command = new ArrayList<>();

    @Override
    public Output run(SessionContext session) {
        CommandLine target = session.commands();
        for (String word : command) {
            CommandLine sub = target.getSubcommands().get(word);
            if (sub == null) {
                throw new UsageException("help: no command '" + String.join(" ", command)
                        + "'; type help for the list");
            }
            target = sub;
        }
        String text = command.isEmpty() ? overview(session.commands()) : target.getUsageMessage(Ansi.OFF);
        return Output.of(Map.of("usage", text)).text(text.stripTrailing()).build();
    }

    private static String overview(CommandLine root) {
        List<String[]> lines = new ArrayList<>();
        collect(root, "", lines);
        int width = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0);
        StringBuilder text = new StringBuilder("Commands (COMMAND --help or help COMMAND for details):\n");
        // Descriptions wrap at spaces into their column, to the width usage messages have (the terminal's).
        int indent = 2 + width + 2;
        int room = Math.max(20, root.getUsageHelpWidth() - indent);
        for (String[] line : lines) {
            List<String> description = TextWrap.wrap(line[1], room);
            text.append("  ").append(line[0]).append(" ".repeat(width - line[0].length() + 2))
                    .append(description.get(0)).append('\n');
            for (String more : description.subList(1, description.size())) {
                text.append(" ".repeat(indent)).append(more).append('\n');
            }
        }
        return text.toString();
    }

    private static void collect(CommandLine parent, String prefix, List<String[]> lines) {
        for (Map.Entry<String, CommandLine> entry : parent.getSubcommands().entrySet()) {
            CommandLine sub = entry.getValue();
            if (!entry.getKey().equals(sub.getCommandName())) {
                continue;
            }
            String name = prefix + sub.getCommandName();
            if (sub.getSubcommands().isEmpty()) {
                String[] description = sub.getCommandSpec().usageMessage().description();
                lines.add(new String[] {name, description.length == 0 ? "" : description[0]});
            } else {
                collect(sub, name + " ", lines);
            }
        }
    }
}
