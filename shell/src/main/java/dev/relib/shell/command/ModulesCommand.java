package dev.relib.shell.command;

import dev.relib.engine.model.ModuleInfo;
import dev.relib.shell.render.Output;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "modules", description = "List loaded modules: id, name, kind, tracking, exports, path.")
public final class ModulesCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Override
    public Output run(SessionContext session) {
        List<ModuleInfo> modules = session.engine().modules();
        Output.Builder output = Output.of(Map.of("modules", modules));
        if (modules.isEmpty()) {
            return output.text("no modules loaded; load one with: load PATH").build();
        }
        List<List<String>> rows = modules.stream()
                .map(m -> List.of("#" + m.id(), m.name(), m.kind().name().toLowerCase(), m.tracked() ? "yes" : "no",
                        Integer.toString(m.exportCount()), m.source().toString()))
                .toList();
        return output.table(List.of("ID", "NAME", "KIND", "TRACKED", "EXPORTS", "PATH"), rows).build();
    }
}
