package dev.relib.shell;

import dev.relib.shell.parse.PathConverter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The program's own command line: {@code relib [FILE] [-c COMMANDS] [--json] [--keep-going] ...}. */
@Command(name = "relib", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "A diagnostics shell for native modules: load a shared object, call its exports by signature,",
            "unload it with every check. With no FILE and no -c it reads commands from a terminal (the REPL)",
            "or, when standard input is not a terminal, runs them as a script."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every command succeeded",
            "1:a command failed",
            "2:usage: unknown command or option, missing argument",
            "3:a check failed (--strict leak, unload refused, module still mapped)",
            "4:a module crashed the worker process (or a call ran past its timeout)",
            "130:Ctrl-C stopped a script"})
public final class MainOptions {

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", converter = PathConverter.class,
            description = "Run the commands in FILE, then exit.")
    Path file;

    @Option(names = {"-c", "--command"}, paramLabel = "COMMANDS",
            description = "Run COMMANDS (separated by ';' or new lines), then exit.")
    String commands;

    @Option(names = "--json", description = "Print one JSON object per command on stdout instead of tables.")
    boolean json;

    @Option(names = {"-k", "--keep-going"},
            description = "Run every command of a script even after one fails; exit with the highest code seen.")
    boolean keepGoing;

    @Option(names = "--in-process",
            description = "Run the engine inside this JVM, not in a worker process: faster to start, but a module that"
                    + " crashes ends the shell too.")
    boolean inProcess;

    @Option(names = "--completion", paramLabel = "SHELL",
            description = "Print a completion script for SHELL (bash) and exit: source <(relib --completion bash).")
    String completion;
}
