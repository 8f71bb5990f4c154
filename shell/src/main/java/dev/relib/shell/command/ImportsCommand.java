package dev.relib.shell.command;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.RelibInfo;
import dev.relib.shell.CommandFailedException;
import dev.relib.shell.render.Output;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "imports", description = "A relib module's import slots (Imports::foo) and what fills each: a loaded "
        + "module's, or a file's before load (what a load now would bind). Bind one with: import stub "
        + "Imports::foo(TYPES) -> TYPE = VALUE.")
public final class ImportsCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MOD|PATH",
            description = "A loaded module (name or #id; implied when one is loaded), or a relib module's file.")
    String target;

    @Override
    public Output run(SessionContext session) {
        RelibInfo relib;
        String what;
        if (target != null && (target.contains("/") || target.endsWith(".so")) && Files.isRegularFile(Path.of(target))) {
            relib = session.engine().checkLoad(Path.of(target)).relib();
            what = target;
        } else {
            ModuleInfo module = session.engine().info(ModuleRef.of(target));
            relib = module.relib();
            what = module.name();
        }
        if (relib == null) {
            throw new CommandFailedException("imports.not_relib", what + " is not a relib module (it does not export "
                    + "__RELIB__CRATE_COMPILATION_INFO__); SDK modules list their imports in: info");
        }
        List<List<String>> rows = relib.imports().stream().map(i -> List.of(i.name(), i.boxed() ? "boxed" : "value",
                i.bound() ? i.boundTo() : "unbound")).toList();
        long unbound = relib.imports().stream().filter(i -> !i.bound()).count();
        String summary = relib.imports().isEmpty() ? what + " has no relib import slots"
                : unbound == 0 ? "every import slot of " + what + " is bound"
                : unbound + " of " + relib.imports().size() + " import slots unbound: a load refuses (relib would abort "
                + "at their first call); bind each with: import stub Imports::NAME(TYPES) -> TYPE = VALUE";
        return Output.of(relib.imports()).table(List.of("IMPORT", "RETURNS", "BOUND TO"), rows).text(summary).build();
    }
}
