package dev.relib.shell.command;

import dev.relib.shell.render.Output;

/** A command the session runs after picocli has filled its options. */
public interface ShellCommand {

    Output run(SessionContext session);
}
