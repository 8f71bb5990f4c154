package dev.relib.shell.command;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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
        return commandClass(name).map(command -> !ENGINE_FREE.contains(command.getAnnotation(Command.class).name()))
                .orElse(false);
    }

    /** The class of the command this name (or alias) names, read from the annotations. */
    static Optional<Class<?>> commandClass(String name) {
        for (Class<?> command : commandClasses()) {
            Command spec = command.getAnnotation(Command.class);
            if (spec.name().equals(name) || Arrays.asList(spec.aliases()).contains(name)) {
                return Optional.of(command);
            }
        }
        return Optional.empty();
    }

    /** Every command's class, in the order help lists them. */
    static List<Class<?>> commandClasses() {
        return List.of(SessionCommands.class.getAnnotation(Command.class).subcommands());
    }

    /** A fresh picocli model of the session's commands. */
    public static CommandLine model() {
        CommandLine model = new CommandLine(new SessionCommands());
        configure(model);
        configure(model.getSubcommands().get("call"));
        return model;
    }

    /** The settings of the model (picocli passes them on to the commands in it) and of a command {@link LazyCommandModel} adds. */
    static void configure(CommandLine command) {
        command.setCaseInsensitiveEnumValuesAllowed(true).setUsageHelpWidth(100);
        if (command.getCommandName().equals("call")) {
            // A call's arguments may begin with '-' (-inf, -nan, -0x10): they are values, not options.
            command.setUnmatchedOptionsArePositionalParams(true);
        }
    }
}
