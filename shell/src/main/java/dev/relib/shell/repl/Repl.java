package dev.relib.shell.repl;

import dev.relib.shell.Session;
import dev.relib.shell.render.Style;

/**
 * The interactive loop. A failing command prints its error and the loop goes on; Ctrl-C drops
 * the line being typed; Ctrl-D or {@code quit} ends the session.
 */
public final class Repl {

    public static final String PROMPT = "relib> ";

    private final Session session;
    private final ShellIO io;
    private final Style style;

    public Repl(Session session, ShellIO io, Style style) {
        this.session = session;
        this.io = io;
        this.style = style;
    }

    /** Runs until quit or end of input; the exit code is 0, as for gdb and jshell. */
    public int run() {
        io.out().println("relib shell: type help for the commands, quit or Ctrl-D to leave");
        io.out().flush();
        String prompt = style.bold(PROMPT);
        while (!session.quitRequested()) {
            String line = io.readLine(prompt);
            if (line == null) {
                break;
            }
            if (line.isBlank()) {
                continue;
            }
            try {
                session.runScript(line, false, false);
            } catch (RuntimeException | StackOverflowError e) {
                io.err().println("error: internal error: " + e);
                io.err().flush();
            }
        }
        return 0;
    }
}
