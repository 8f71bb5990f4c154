package dev.relib.shell.command;

import java.util.Arrays;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root of the session's command model: every command a user can type. */
@Command(name = "relib", subcommands = {
        LoadCommand.class, ModulesCommand.class, InfoCommand.class, ExportsCommand.class, SigCommand.class,
        CallCommand.class, PanicsCommand.class, BtCommand.class, ImportCommand.class, ImportsCommand.class, AllocsCommand.class, ThreadsCommand.class,
        MapsCommand.class, SymbolCommand.class, AddrCommand.class, UnloadCommand.class, ReloadCommand.class,
        WatchCommand.class,
        CheckCommand.class, SourceCommand.class, SetCommand.class, RestartCommand.class, HelpCommand.class,
        HistoryCommand.class, QuitCommand.class,
        BufCommand.class, ExamineCommand.class, PrintCommand.class, WriteCommand.class, ValuesCommand.class,
        StructCommand.class})
public final class SessionCommands {

    /** The commands that never use the engine; every other command may. */
    private static final Set<String> ENGINE_FREE = Set.of("help", "history", "quit", "set", "values");

    /**
     * Whether a command of this name may start the engine; read from the annotations, not from a
     * model, so a script can start the engine before the model is built. Unknown names never do.
     */
    public static boolean mayUseEngine(String name) {
        for (Class<?> command : SessionCommands.class.getAnnotation(Command.class).subcommands()) {
            Command spec = command.getAnnotation(Command.class);
            if (spec.name().equals(name) || Arrays.asList(spec.aliases()).contains(name)) {
                return !ENGINE_FREE.contains(spec.name());
            }
        }
        return false;
    }

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
