package dev.relib.shell.command;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root of the session's command model: every command a user can type. */
@Command(name = "relib", subcommands = {
        LoadCommand.class, ModulesCommand.class, InfoCommand.class, ExportsCommand.class, SigCommand.class,
        CallCommand.class, PanicsCommand.class, BtCommand.class, ImportCommand.class, AllocsCommand.class, ThreadsCommand.class,
        MapsCommand.class, SymbolCommand.class, AddrCommand.class, UnloadCommand.class, ReloadCommand.class,
        WatchCommand.class,
        CheckCommand.class, SourceCommand.class, SetCommand.class, RestartCommand.class, HelpCommand.class,
        HistoryCommand.class, QuitCommand.class,
        BufCommand.class, ExamineCommand.class, PrintCommand.class, WriteCommand.class, ValuesCommand.class})
public final class SessionCommands {

    /** A fresh picocli model of the session's commands. */
    public static CommandLine model() {
        CommandLine model = new CommandLine(new SessionCommands())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpWidth(100);
        // A call's arguments may begin with '-' (-inf, -nan, -0x10): they are values, not options.
        model.getSubcommands().get("call").setUnmatchedOptionsArePositionalParams(true);
        return model;
    }
}
