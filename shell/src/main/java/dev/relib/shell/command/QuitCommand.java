package dev.relib.shell.command;

import dev.relib.shell.render.Output;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "quit", aliases = "exit", description = "Leave the shell; loaded modules are unloaded (best effort) and the worker ends.")
public final class QuitCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Override
    public Output run(SessionContext session) {
        session.requestQuit();
        return Output.of(Map.of()).build();
    }
}
