package dev.relib.shell.command;

import dev.relib.shell.UsageException;
import dev.relib.shell.render.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "import", description = "Host imports for SDK modules: import stub NAME(SIG) = VALUE, import list.",
        subcommands = {ImportStubCommand.class, ImportListCommand.class})
public final class ImportCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Override
    public Output run(SessionContext session) {
        throw new UsageException("import needs a subcommand: import stub NAME(SIG) = VALUE, or import list");
    }
}
