package dev.relib.shell.command;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The session's command model, each command's part built when the command is first named: the
 * whole model cost a script's shell 100-200 ms of CPU before its first command, while both cores
 * were busy starting the two JVMs, and a script names a few of the thirty-odd commands. What
 * picocli sees is the model {@link SessionCommands#model} builds, with the commands not yet named
 * left out; {@link #complete} adds them all, in help's order, for what lists every command.
 */
public final class LazyCommandModel {

    /** The model's root, named as the full model's is ("relib": usage reads "Usage: relib load"). */
    @Command(name = "relib")
    static final class Root {
    }

    private CommandLine root = newRoot();
    private boolean complete;

    /** The model, holding the command {@code name} names if there is one ({@link #has} tells). */
    public CommandLine with(String name) {
        if (!root.getSubcommands().containsKey(name)) {
            SessionCommands.commandClass(name).ifPresent(this::add);
        }
        return root;
    }

    /** Whether the model now holds a command of this name or alias. */
    public boolean has(String name) {
        return with(name).getSubcommands().containsKey(name);
    }

    /** The model with every command, in the order they are declared (help lists them so). */
    public CommandLine complete() {
        if (!complete) {
            CommandLine named = root;
            root = newRoot().setUsageHelpWidth(named.getUsageHelpWidth());
            for (Class<?> command : SessionCommands.commandClasses()) {
                String name = command.getAnnotation(Command.class).name();
                CommandLine built = named.getSubcommands().get(name);
                if (built != null) {
                    root.addSubcommand(name, built);
                } else {
                    add(command);
                }
            }
            complete = true;
        }
        return root;
    }

    /** The model as it stands: for settings that apply to every command built. */
    public CommandLine root() {
        return root;
    }

    private void add(Class<?> command) {
        CommandLine built = new CommandLine(command);
        SessionCommands.configure(built);
        built.setUsageHelpWidth(root.getUsageHelpWidth());
        root.addSubcommand(built.getCommandName(), built);
    }

    private static CommandLine newRoot() {
        CommandLine root = new CommandLine(new Root());
        SessionCommands.configure(root);
        return root;
    }
}
