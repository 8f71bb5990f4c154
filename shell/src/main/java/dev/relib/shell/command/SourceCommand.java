package dev.relib.shell.command;

import dev.relib.shell.CommandFailedException;
import dev.relib.shell.parse.PathConverter;
import dev.relib.shell.render.Output;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "source", description = "Run the commands in FILE in this session; stops at the first that fails.")
public final class SourceCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "FILE", converter = PathConverter.class,
            description = "A relib script: one command per line, # comments.")
    Path file;

    @Override
    public Output run(SessionContext session) {
        int exit = session.source(file);
        if (exit != 0) {
            throw new CommandFailedException("source.failed", file + ": a command failed (see above)", exit);
        }
        return Output.of(Map.of("file", file.toString())).build();
    }
}
