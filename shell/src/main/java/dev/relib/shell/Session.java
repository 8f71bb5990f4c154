package dev.relib.shell;

import dev.relib.engine.Engine;
import dev.relib.engine.error.WorkerCrash;
import dev.relib.shell.command.LazyCommandModel;
import dev.relib.shell.command.SessionContext;
import dev.relib.shell.command.SessionSettings;
import dev.relib.shell.command.ShellCommand;
import dev.relib.shell.parse.CallTargetRecognizer;
import dev.relib.shell.parse.CommandLexer;
import dev.relib.shell.parse.CommandText;
import dev.relib.shell.parse.ScriptText;
import dev.relib.shell.render.Failure;
import dev.relib.shell.render.Output;
import dev.relib.shell.render.Renderer;
import dev.relib.shell.values.ValueHistory;
import dev.relib.shell.watch.ModuleWatches;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.ParseResult;

/**
 * One shell session: the engine, the command model, the renderer and the history. Runs commands
 * one at a time, maps every failure to a message and an exit code, and never lets one escape.
 */
public final class Session implements SessionContext, AutoCloseable {

    /** Commands whose first argument is a call target that may hold spaces and lifetimes. */
    private static final Pattern IMPORT_STUB = Pattern.compile("\\s+stub\\s+(\\S.*)", Pattern.DOTALL);
    private static final Set<String> TARGET_COMMANDS = Set.of("call", "sig");
    private static final int MAX_SOURCE_DEPTH = 16;
    private static final String REPR_C = "#[repr(C)]";
    private static final int DEFAULT_USAGE_WIDTH = 100;
    private static final int MIN_USAGE_WIDTH = 55;

    private final EngineHandle engine;
    private final Renderer renderer;
    private final CommandHistory history;
    private final boolean keepGoing;
    private final LazyCommandModel commands = new LazyCommandModel();
    private final SessionSymbols symbols = new SessionSymbols();
    private final ErrorMapper errors = new ErrorMapper(symbols);
    private final SessionSettings settings = new SessionSettings();
    private boolean stacksRequested;
    private final ModuleWatches watches;
    private final ValueHistory values = new ValueHistory();
    /** What the final unloads are reported under, as if a command. */
    static final String END_OF_SESSION = "(end of session)";

    private CommandActivity activity = CommandActivity.NONE;
    private IntSupplier columns = () -> 0;
    private boolean quit;
    private boolean ended;
    private int sourceDepth;

    /**
     * @param engine    started by the first command that needs it; closed with the session
     * @param keepGoing scripts run past failing commands and exit with the worst code seen
     */
    public Session(EngineHandle engine, Renderer renderer, CommandHistory history, boolean keepGoing) {
        this.engine = engine;
        this.renderer = renderer;
        this.history = history;
        this.keepGoing = keepGoing;
        this.watches = new ModuleWatches(engine, renderer);
    }

    /**
     * Runs a script: each command in order, echoed through the renderer. Stops at the first failure
     * (its exit code is returned) unless keep-going, when the highest exit code seen is returned.
     *
     * @param recordHistory add each command to the history (top-level scripts; not sourced files,
     *                      not REPL lines, which the line reader records)
     */
    public int runScript(String script, boolean recordHistory, boolean echo) {
        return runScript(null, script, recordHistory, echo);
    }

    /**
     * Runs a script as {@link #runScript(String, boolean, boolean)} does, its commands located in
     * {@code source} (a file name, {@code -c}, {@code <stdin>}; null for typed lines) for Ctrl-C's report.
     */
    public int runScript(String source, String script, boolean recordHistory, boolean echo) {
        List<CommandText> lines;
        try {
            lines = CommandLexer.commands(script);
        } catch (UsageException e) {
            Failure failure = errors.map(e);
            renderer.render(script.strip(), null, failure);
            return failure.exitCode();
        }
        return runCommands(source, lines, recordHistory, echo);
    }

    /** Runs commands already split by the lexer (line numbers are {@code source}'s); see {@link #runScript}. */
    public int runCommands(String source, List<CommandText> lines, boolean recordHistory, boolean echo) {
        int worst = ExitCode.OK;
        for (CommandText line : lines) {
            if (activity.stopRequested()) {
                return ExitCode.INTERRUPTED;
            }
            if (quit) {
                break;
            }
            if (recordHistory) {
                history.add(line.text());
            }
            if (echo) {
                renderer.echo(line.text());
            }
            activity.started(source == null ? ScriptLocation.typed() : new ScriptLocation(source, line.line()),
                    line.text());
            int exit;
            try {
                exit = execute(line.text());
            } finally {
                activity.finished();
            }
            if (activity.stopRequested()) {
                return ExitCode.INTERRUPTED;
            }
            worst = Math.max(worst, exit);
            if (exit != ExitCode.OK && !keepGoing) {
                return exit;
            }
        }
        return worst;
    }

    /** Runs one command (no {@code ;} splitting), renders its outcome, and returns its exit code. */
    public int execute(String commandText) {
        Output output = null;
        Failure failure;
        try {
            List<String> words = words(commandText);
            if (words.isEmpty()) {
                return ExitCode.OK;
            }
            output = dispatch(words);
            failure = output.checkFailure();
        } catch (Exception e) {
            failure = errors.map(e);
        }
        if (failure != null && activity.stopRequested() && failure.code().equals(WorkerCrash.INTERRUPTED)) {
            // A script's Ctrl-C ended it: the script stops, and the report of where it stopped says it all.
            return ExitCode.INTERRUPTED;
        }
        renderer.render(commandText, output, failure);
        return failure == null ? ExitCode.OK : failure.exitCode();
    }

    private Output dispatch(List<String> words) {
        fitUsageToTerminal();
        String name = words.get(0);
        if (!commands.has(name)) {
            throw new UsageException("unknown command '" + name + "'" + suggestion(name) + "; type help for the list");
        }
        ParseResult parsed = commands.with(name).parseArgs(words.toArray(String[]::new));
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        CommandLine leaf = parsed.commandSpec().commandLine();
        if (parsed.isUsageHelpRequested()) {
            String usage = leaf.getUsageMessage(Ansi.OFF);
            return Output.of(Map.of("usage", usage)).text(usage.stripTrailing()).build();
        }
        return ((ShellCommand) parsed.commandSpec().userObject()).run(this);
    }

    /** Picocli wraps usage at spaces; 55 columns is the least it accepts, 100 is the width when none is known. */
    private void fitUsageToTerminal() {
        int width = columns.getAsInt();
        commands.root().setUsageHelpWidth(width <= 0 ? DEFAULT_USAGE_WIDTH : Math.max(MIN_USAGE_WIDTH, width - 1));
    }

    /** Words as picocli should see them; a call target is grouped whole before the rest is split. */
    static List<String> words(String commandText) {
        String text = commandText.strip();
        if (text.startsWith(REPR_C)) {
            // Rust's attribute before a struct declaration, as pasted from the source.
            text = text.substring(REPR_C.length()).strip();
        }
        int space = 0;
        while (space < text.length() && !Character.isWhitespace(text.charAt(space))) {
            space++;
        }
        String first = text.substring(0, space);
        String rest = text.substring(space);
        Matcher stub = IMPORT_STUB.matcher(rest);
        if (first.equals("import") && stub.matches() && !stub.group(1).startsWith("-")) {
            // A definition holds spaces, "->" and maybe a quoted message: it goes to the engine as typed.
            return List.of(first, "stub", stub.group(1).strip());
        }
        if (first.equals("struct") && !rest.isBlank() && !rest.strip().startsWith("-")) {
            // A declaration holds braces, colons and spaces: it goes to the engine as typed.
            return List.of(first, rest.strip());
        }
        if (first.equals("x") && !rest.isBlank() && !rest.strip().startsWith("-")) {
            List<String> words = new ArrayList<>(List.of("x", "/"));
            words.addAll(CommandLexer.words(rest));
            return words;
        }
        if (first.startsWith("x/")) {
            // gdb's x/16xb ADDR: the format is glued to the command's name.
            List<String> words = new ArrayList<>(List.of("x", first.substring(1)));
            words.addAll(CommandLexer.words(rest));
            return words;
        }
        if (first.equals("write")) {
            // The value is a literal, as a call argument: kept as typed for the engine to read.
            List<String> words = new ArrayList<>(List.of(first));
            words.addAll(CommandLexer.arguments(rest));
            return words;
        }
        if (!TARGET_COMMANDS.contains(first) || rest.isBlank() || rest.strip().startsWith("-")) {
            return CommandLexer.words(text);
        }
        CallTargetRecognizer.Recognized target = CallTargetRecognizer.recognize(rest);
        List<String> words = new ArrayList<>();
        words.add(first);
        words.add(target.target());
        // A call's arguments reach the engine as typed: literals keep their quotes and escapes.
        words.addAll(first.equals("call") ? CommandLexer.arguments(target.remainder())
                : CommandLexer.words(target.remainder()));
        return words;
    }

    private String suggestion(String typed) {
        return commands.complete().getSubcommands().keySet().stream()
                .filter(c -> c.startsWith(typed.substring(0, Math.min(2, typed.length()))))
                .min(Comparator.comparingInt(String::length))
                .map(c -> " (did you mean '" + c + "'?)")
                .orElse("");
    }

    @Override
    public Engine engine() {
        return engine.get();
    }

    @Override
    public SessionSymbols symbols() {
        return symbols;
    }

    @Override
    public CommandHistory history() {
        return history;
    }

    @Override
    public ModuleWatches watches() {
        return watches;
    }

    @Override
    public SessionSettings settings() {
        return settings;
    }

    @Override
    public CommandLine commands() {
        return commands.complete();
    }

    @Override
    public int source(Path file) {
        String script;
        try {
            script = ScriptText.read(file);
        } catch (NoSuchFileException e) {
            throw new CommandFailedException("source.not_found", file + ": no such file; check the path");
        } catch (IOException e) {
            throw new CommandFailedException("source.unreadable", file + ": cannot read (" + e.getMessage() + ")");
        }
        if (sourceDepth >= MAX_SOURCE_DEPTH) {
            throw new CommandFailedException("source.too_deep", file + ": source nested more than "
                    + MAX_SOURCE_DEPTH + " deep; does a script source itself?");
        }
        sourceDepth++;
        try {
            return runScript(file.toString(), script, false, true);
        } finally {
            sourceDepth--;
        }
    }

    /**
     * The terminal's width (0 when unknown), that usage and help text fit, read before each command
     * since a terminal can be resized.
     */
    public void fitTo(IntSupplier columns) {
        this.columns = columns;
    }

    /** Who is told of each command as it starts and ends (Ctrl-C's handler); none by default. */
    public void watchActivity(CommandActivity activity) {
        this.activity = activity;
    }

    @Override
    public ValueHistory values() {
        return values;
    }

    @Override
    public void stacksRequested() {
        stacksRequested = true;
    }

    @Override
    public boolean mayHaveStacks() {
        return stacksRequested;
    }

    @Override
    public void requestQuit() {
        quit = true;
    }

    public boolean quitRequested() {
        return quit;
    }

    /** Ctrl-C asked the running script to stop. */
    public boolean stopRequested() {
        return activity.stopRequested();
    }

    /** Scripts run past failing commands ({@code --keep-going}). */
    public boolean keepsGoing() {
        return keepGoing;
    }

    /**
     * Ends the watches, then closes the engine if one was started, which unloads what is still
     * loaded. A module that takes the worker down while being unloaded (a destructor that crashes)
     * is reported like any command's failure; its exit code is returned (0 when all went well).
     */
    public int end() {
        if (ended) {
            return ExitCode.OK;
        }
        ended = true;
        watches.close();
        try {
            engine.close();
            return ExitCode.OK;
        } catch (Exception e) {
            Failure failure = errors.map(e);
            renderer.render(END_OF_SESSION, null, failure);
            return failure.exitCode();
        }
    }

    @Override
    public void close() {
        end();
    }
}
