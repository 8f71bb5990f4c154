package dev.relib.shell.command;

import dev.relib.shell.UsageException;
import dev.relib.shell.render.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "check", description = "Run a check without changing anything: check load PATH, check unload [MOD].",
        subcommands = {CheckLoadCommand.class, CheckUnloadCommand.class})
public final class CheckCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Override
    public Output run(SessionContext session) {
        throw new UsageException("check needs a subject: check load PATH, or check unload [MOD]");
    }
}
