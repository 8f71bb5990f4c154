package dev.relib.shell;

import dev.relib.shell.command.SessionCommands;
import dev.relib.shell.parse.ScriptText;
import dev.relib.shell.render.HumanRenderer;
import dev.relib.shell.render.JsonRenderer;
import dev.relib.shell.render.Renderer;
import dev.relib.shell.render.Style;
import dev.relib.shell.repl.HistoryFile;
import dev.relib.shell.repl.Repl;
import dev.relib.shell.repl.ShellCompleter;
import dev.relib.shell.repl.TerminalIO;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** {@code relib}: parses the program's options, then runs a script, {@code -c} commands, or the REPL. */
public final class Main {

    private final ProcessStreams process;
    private final EngineFactory.Starter engines;

    /** @param engines starts an engine of the mode the options chose ({@link EngineFactory#create} in real use) */
    public Main(ProcessStreams process, EngineFactory.Starter engines) {
        this.process = process;
        this.engines = engines;
    }

    public static void main(String[] args) {
        ProcessStreams process = new ProcessStreams(System.in, System.out, System.err, System.getenv(),
                Terminals.stdinIsTerminal(), System.console() != null);
        int exit = new Main(process, EngineFactory::create).run(args);
        System.exit(exit);
    }

    /** Runs the program and returns its exit code. */
    public int run(String... args) {
        MainOptions options = new MainOptions();
        CommandLine cli = new CommandLine(options);
        try {
            ParseResult parsed = cli.parseArgs(args);
            if (parsed.isUsageHelpRequested()) {
                cli.usage(process.out());
                return ExitCode.OK;
            }
            if (parsed.isVersionHelpRequested()) {
                cli.printVersionHelp(process.out());
                return ExitCode.OK;
            }
        } catch (CommandLine.ParameterException e) {
            return usageError(e.getMessage());
        }
        if (options.completion != null) {
            if (!options.completion.equals("bash")) {
                return usageError("--completion supports bash, not '" + options.completion + "'");
            }
            process.out().print(AutoComplete.bash("relib", cli));
            process.out().flush();
            return ExitCode.OK;
        }
        if (options.file != null && options.commands != null) {
            return usageError("give a FILE or -c COMMANDS, not both");
        }
        return runSession(options);
    }

    private int runSession(MainOptions options) {
        PrintWriter out = new PrintWriter(process.out(), true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(process.err(), true, StandardCharsets.UTF_8);
        Style style = Style.detect(process.env(), process.stdoutIsTerminal());
        Renderer renderer = options.json ? new JsonRenderer(out) : new HumanRenderer(out, err, style);
        EngineFactory.Mode mode = options.inProcess ? EngineFactory.Mode.IN_PROCESS : EngineFactory.Mode.WORKER;
        ModuleOutputRelay moduleOutput = new ModuleOutputRelay();
        moduleOutput.renderTo(renderer);
        EngineHandle engine = new EngineHandle(() -> engines.start(mode, moduleOutput));
        if (options.commands != null) {
            return script(new Session(engine, renderer, new InMemoryHistory(), options.keepGoing),
                    options.commands, false);
        }
        if (options.file != null) {
            String text;
            try {
                text = ScriptText.read(options.file);
            } catch (UsageException e) {
                return usageError(e.getMessage());
            } catch (NoSuchFileException e) {
                return usageError(options.file + ": no such script file; check the path");
            } catch (IOException e) {
                return usageError(options.file + ": cannot read (" + e.getMessage() + ")");
            }
            return script(new Session(engine, renderer, new InMemoryHistory(), options.keepGoing), text, true);
        }
        if (!process.stdinIsTerminal()) {
            String text;
            try {
                text = new String(process.in().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return usageError("cannot read standard input (" + e.getMessage() + ")");
            }
            return script(new Session(engine, renderer, new InMemoryHistory(), options.keepGoing), text, false);
        }
        return interactive(engine, moduleOutput, options, style, err);
    }

    private static int script(Session session, String text, boolean echo) {
        try (session) {
            int exit = session.runScript(text, true, echo);
            return Math.max(exit, session.end());
        }
    }

    private int interactive(EngineHandle engine, ModuleOutputRelay moduleOutput, MainOptions options, Style style,
                            PrintWriter err) {
        Path historyFile = HistoryFile.location(process.env(), System.getProperty("user.home"));
        try {
            HistoryFile.prepare(historyFile);
        } catch (IOException e) {
            err.println("warning: history will not be kept: cannot create " + historyFile + " (" + e.getMessage() + ")");
            historyFile = null;
        }
        ShellCompleter completer = new ShellCompleter(SessionCommands.model(), engine::ifStarted);
        try (TerminalIO io = TerminalIO.system(historyFile, completer)) {
            Renderer renderer = options.json ? new JsonRenderer(io.out(), io::printAbove)
                    : new HumanRenderer(io.out(), err, style, io::printAbove);
            moduleOutput.renderTo(renderer);
            try (Session session = new Session(engine, renderer, io.history(), options.keepGoing)) {
                int exit = new Repl(session, io, style).run();
                return Math.max(exit, session.end());
            }
        } catch (IOException e) {
            err.println("error: cannot open the terminal (" + e.getMessage() + ")");
            return ExitCode.FAILED;
        }
    }

    private int usageError(String message) {
        process.err().println("error: " + message + "; see: relib --help");
        process.err().flush();
        return ExitCode.USAGE;
    }
}
