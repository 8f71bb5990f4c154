package dev.relib.shell.command;

import picocli.CommandLine.Option;

/** {@code -h/--help} on every command. */
public final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this command's help.")
    boolean help;
}
