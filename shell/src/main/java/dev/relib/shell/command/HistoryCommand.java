package dev.relib.shell.command;

import dev.relib.shell.render.Output;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "history", description = "List the commands entered, oldest first (kept across sessions in the REPL).")
public final class HistoryCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Option(names = {"-n", "--last"}, paramLabel = "N", description = "Show only the last N entries.")
    Integer last;

    @Override
    public Output run(SessionContext session) {
        List<String> entries = session.history().entries();
        int from = last == null ? 0 : Math.max(0, entries.size() - last);
        StringBuilder text = new StringBuilder();
        for (int i = from; i < entries.size(); i++) {
            text.append(String.format("%5d  %s%n", i + 1, entries.get(i)));
        }
        return Output.of(Map.of("entries", entries.subList(from, entries.size())))
                .text(text.toString().stripTrailing()).build();
    }
}
