package dev.relib.shell.command;

import dev.relib.shell.render.Output;
import dev.relib.shell.values.ValueHistory;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "values", description = "List the kept values $1, $2, ...: every call result, buffer, out-parameter "
        + "and value read, usable as an argument ($_ is the last).")
public final class ValuesCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Override
    public Output run(SessionContext session) {
        List<ValueHistory.Kept> all = session.values().all();
        if (all.isEmpty()) {
            return Output.of(all).text("no values yet; every call result is kept as $1, $2, ...").build();
        }
        List<List<String>> rows = all.stream()
                .map(k -> List.of(k.name(), k.type(), k.display(), k.origin()))
                .toList();
        return Output.of(all).table(List.of("NAME", "TYPE", "VALUE", "FROM"), rows).build();
    }
}
