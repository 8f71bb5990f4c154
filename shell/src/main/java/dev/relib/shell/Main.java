package dev.relib.shell;

import dev.relib.shell.command.SessionCommands;
import dev.relib.shell.parse.CommandLexer;
import dev.relib.shell.parse.ScriptText;
import dev.relib.shell.render.HumanRenderer;
import dev.relib.shell.render.JsonRenderer;
import dev.relib.shell.render.Renderer;
import dev.relib.shell.render.Style;
import dev.relib.shell.repl.HistoryFile;
import dev.relib.shell.repl.Repl;
import dev.relib.shell.repl.ShellCompleter;
import dev.relib.shell.repl.TerminalIO;
import dev.relib.shell.control.CommandInterrupts;
import dev.relib.shell.control.Sigint;
import dev.relib.shell.script.LineScript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** {@code relib}: parses the program's options, then runs a script, {@code -c} commands, or the REPL. */
public final class Main {

    /** How a script's commands from standard input are located in Ctrl-C's report. */
    static final String STDIN = "<stdin>";

    private final ProcessStreams process;
    private final EngineFactory.Starter engines;
    private final Consumer<Runnable> interruptSource;
    private final IntConsumer exit;

    /** @param engines starts an engine of the mode the options chose ({@link EngineFactory#create} in real use) */
    public Main(ProcessStreams process, EngineFactory.Starter engines) {
        this(process, engines, handler -> { }, code -> {
            throw new IllegalStateException("exit " + code + " asked for in a test");
        });
    }

    /**
     * @param interruptSource given what to run on each Ctrl-C of a script ({@link Sigint#onEach} in real use)
     * @param exit            ends the process: an in-process script's call that Ctrl-C cannot stop
     */
    public Main(ProcessStreams process, EngineFactory.Starter engines, Consumer<Runnable> interruptSource,
                IntConsumer exit) {
        this.process = process;
        this.engines = engines;
        this.interruptSource = interruptSource;
        this.exit = exit;
    }

    public static void main(String[] args) {
        ProcessStreams process = new ProcessStreams(System.in, System.out, System.err, System.getenv(),
                Terminals.stdinIsTerminal(), System.console() != null, Terminals.isTerminal(2));
        if (process.stdinIsTerminal()) {
            Sigint.takeBackIfIgnored();
        }
        if (ArchiveTraining.requested()) {
            int trained = ArchiveTraining.run(process, EngineFactory::create);
            ArchiveTraining.loadShellClasses();
            System.exit(trained);
        }
        System.exit(new Main(process, EngineFactory::create, Sigint::onEach, System::exit).run(args));
    }

    /** Runs the program and returns its exit code. */
    public int run(String... args) {
        // A script's plain arguments skip picocli's reading of them (its first model costs a hundred
        // milliseconds or more), so that the script's worker starts at once.
        Optional<MainOptions> plain = PlainScriptArguments.read(args);
        if (plain.isPresent()) {
            return runSession(plain.get());
        }
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
        EngineFactory.Mode mode = options.inProcess ? EngineFactory.Mode.IN_PROCESS : EngineFactory.Mode.WORKER;
        ModuleOutputRelay moduleOutput = new ModuleOutputRelay();
        EngineHandle engine = new EngineHandle(() -> engines.start(mode, moduleOutput));
        boolean interactive = options.commands == null && options.file == null && process.stdinIsTerminal();
        if (!interactive && scriptMayUseEngine(options)) {
            // The worker starts while this JVM builds its command model and reads the script.
            engine.startInBackground();
        }
        PrintWriter out = new PrintWriter(process.out(), true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(process.err(), true, StandardCharsets.UTF_8);
        Style style = Style.detect(process.env(), process.stdoutIsTerminal());
        // stderr is styled on its own: "relib 2>errors.log" must not fill the log with escape codes.
        Style errStyle = Style.detect(process.env(), process.stderrIsTerminal());
        IntSupplier columns = () -> columnsFromEnvironment(process.env());
        Renderer renderer = options.json ? new JsonRenderer(out)
                : new HumanRenderer(out, err, style, errStyle, columns, null);
        moduleOutput.renderTo(renderer);
        if (interactive) {
            return interactive(engine, moduleOutput, options, style, errStyle, err);
        }
        Session session = new Session(engine, renderer, new InMemoryHistory(), options.keepGoing);
        session.fitTo(columns);
        CommandInterrupts interrupts = new CommandInterrupts(CommandInterrupts.Mode.SCRIPT, engine::ifStarted,
                !options.inProcess, err, exit);
        session.watchActivity(moduleOutput.watching(interrupts));
        interruptSource.accept(interrupts::interrupt);
        try (session) {
            int exit = runScript(session, options);
            if (exit == ExitCode.INTERRUPTED && interrupts.stopRequested()) {
                err.println(interrupts.report());
                err.flush();
            }
            return Math.max(exit, session.end());
        }
    }

    /**
     * Whether a FILE or -c script names a command that may use the engine. A script that cannot be
     * read or split says no: running it reports why, and starts nothing.
     */
    private static boolean scriptMayUseEngine(MainOptions options) {
        String text;
        try {
            text = options.commands != null ? options.commands : options.file != null ? ScriptText.read(options.file) : null;
            if (text == null) {
                return false;
            }
            return CommandLexer.commands(text).stream().map(command -> CommandLexer.words(command.text()))
                    .anyMatch(words -> !words.isEmpty() && SessionCommands.mayUseEngine(words.get(0)));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The script of FILE, of -c, or of standard input read line by line, run in {@code session}. */
    private int runScript(Session session, MainOptions options) {
        if (options.commands != null) {
            return session.runScript("-c", options.commands, true, false);
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
            return session.runScript(options.file.toString(), text, true, true);
        }
        return runPiped(session, LineScript.reading(process.in()));
    }

    /** Each command as soon as its line arrives; the first failure ends the script unless keep-going. */
    private int runPiped(Session session, LineScript script) {
        int worst = ExitCode.OK;
        try {
            for (LineScript.Next next; (next = script.next(session::stopRequested)) != null; ) {
                int exit;
                if (next instanceof LineScript.Commands commands) {
                    exit = session.runCommands(STDIN, commands.commands(), true, false);
                } else if (next instanceof LineScript.Unfinished unfinished) {
                    exit = session.runScript(STDIN, unfinished.text(), true, false);
                } else {
                    return worst;
                }
                worst = Math.max(worst, exit);
                if (exit != ExitCode.OK && !session.keepsGoing() || session.quitRequested()) {
                    return exit == ExitCode.OK ? worst : exit;
                }
            }
            return ExitCode.INTERRUPTED;
        } catch (UncheckedIOException e) {
            return usageError("cannot read standard input (" + e.getCause().getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.INTERRUPTED;
        }
    }

    /** {@code COLUMNS} when a script's output goes to a terminal whose width it gives; 0 (no limit) else. */
    private int columnsFromEnvironment(java.util.Map<String, String> env) {
        String columns = env.get("COLUMNS");
        if (!process.stdoutIsTerminal() || columns == null || !columns.matches("[1-9][0-9]{0,4}")) {
            return 0;
        }
        return Integer.parseInt(columns);
    }

    private int interactive(EngineHandle engine, ModuleOutputRelay moduleOutput, MainOptions options, Style style,
                            Style errStyle, PrintWriter err) {
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
                    : new HumanRenderer(io.out(), err, style, errStyle, io::width, io::printAbove);
            moduleOutput.renderTo(renderer);
            try (Session session = new Session(engine, renderer, io.history(), options.keepGoing)) {
                CommandInterrupts interrupts = new CommandInterrupts(CommandInterrupts.Mode.INTERACTIVE,
                        engine::ifStarted, !options.inProcess, err, exit);
                session.watchActivity(moduleOutput.watching(interrupts));
                session.fitTo(io::width);
                io.onInterrupt(interrupts::interrupt);
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
