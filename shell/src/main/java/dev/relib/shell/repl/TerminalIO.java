package dev.relib.shell.repl;

import dev.relib.shell.CommandHistory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;

/** The REPL's IO over a JLine terminal: line editing, completion, and the persistent history file. */
public final class TerminalIO implements ShellIO, AutoCloseable {

    private final Terminal terminal;
    private final LineReader reader;
    private final PrintWriter err;
    private final CommandHistory history;

    private TerminalIO(Terminal terminal, Path historyFile, Completer completer, PrintWriter err) {
        this.terminal = terminal;
        this.err = err;
        DefaultParser parser = new DefaultParser();
        parser.setEofOnUnclosedQuote(false);
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("relib")
                .parser(parser)
                .completer(completer)
                // '!' and '\' must reach the shell's own lexer untouched.
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .variable(LineReader.HISTORY_SIZE, 2000)
                .variable(LineReader.HISTORY_FILE_SIZE, 10000);
        if (historyFile != null) {
            builder.variable(LineReader.HISTORY_FILE, historyFile);
        }
        this.reader = builder.build();
        this.history = new ReaderHistory(reader.getHistory());
    }

    /** The process's own terminal. */
    public static TerminalIO system(Path historyFile, Completer completer) throws IOException {
        Terminal terminal = TerminalBuilder.builder().system(true).name("relib").build();
        return new TerminalIO(terminal, historyFile, completer, new PrintWriter(System.err, true));
    }

    /** A dumb terminal over streams: the real line reader and history file, no real terminal. */
    public static TerminalIO streams(InputStream in, OutputStream out, PrintWriter err, Path historyFile,
                                     Completer completer) throws IOException {
        Terminal terminal = new DumbTerminal("relib", Terminal.TYPE_DUMB, in, out, StandardCharsets.UTF_8);
        return new TerminalIO(terminal, historyFile, completer, err);
    }

    @Override
    public String readLine(String prompt) {
        try {
            return reader.readLine(prompt);
        } catch (UserInterruptException e) {
            return "";
        } catch (EndOfFileException e) {
            return null;
        }
    }

    /**
     * Prints a line that arrived on another thread (module output): above the line being typed
     * when the reader is reading, so the prompt and the typed text are redrawn intact below it.
     */
    public void printAbove(String line) {
        reader.printAbove(line);
    }

    /**
     * Runs {@code handler} for each Ctrl-C that comes while no line is read (while a command runs);
     * while one is read, the line reader takes Ctrl-C itself and drops the line.
     */
    public void onInterrupt(Runnable handler) {
        terminal.handle(Terminal.Signal.INT, signal -> handler.run());
    }

    /** The terminal's width now, in columns; 0 when it has none (a dumb terminal). */
    public int width() {
        return terminal.getWidth();
    }

    @Override
    public PrintWriter out() {
        return terminal.writer();
    }

    @Override
    public PrintWriter err() {
        return err;
    }

    @Override
    public CommandHistory history() {
        return history;
    }

    @Override
    public void close() throws IOException {
        reader.getHistory().save();
        terminal.close();
    }

    /** JLine's history seen as the session's; the reader adds typed lines itself. */
    private record ReaderHistory(History history) implements CommandHistory {

        @Override
        public void add(String line) {
            history.add(line);
        }

        @Override
        public List<String> entries() {
            List<String> lines = new ArrayList<>();
            history.forEach(entry -> lines.add(entry.line()));
            return lines;
        }
    }
}
