package dev.relib.shell.repl;

import dev.relib.shell.CommandHistory;
import dev.relib.shell.InMemoryHistory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Feeds the REPL fixed lines and captures what it writes. A null line stands for Ctrl-C. */
final class LinesIO implements ShellIO {

    static final String CTRL_C = "\u0003";

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final InMemoryHistory history = new InMemoryHistory();
    final List<String> prompts = new java.util.ArrayList<>();
    private final Deque<String> lines;
    private final PrintWriter outWriter = new PrintWriter(out, true);
    private final PrintWriter errWriter = new PrintWriter(err, true);

    LinesIO(String... lines) {
        this.lines = new ArrayDeque<>(List.of(lines));
    }

    @Override
    public String readLine(String prompt) {
        prompts.add(prompt);
        String line = lines.poll();
        if (line == null) {
            return null;
        }
        if (line.equals(CTRL_C)) {
            return "";
        }
        history.add(line);
        return line;
    }

    @Override
    public PrintWriter out() {
        return outWriter;
    }

    @Override
    public PrintWriter err() {
        return errWriter;
    }

    @Override
    public CommandHistory history() {
        return history;
    }
}
