package dev.relib.shell.repl;

import dev.relib.shell.CommandHistory;
import java.io.PrintWriter;

/** What the REPL reads from and writes to: a terminal in real use, plain lines in tests. */
public interface ShellIO {

    /** The next line; {@code ""} when the user cancelled it (Ctrl-C); null at end of input (Ctrl-D). */
    String readLine(String prompt);

    PrintWriter out();

    PrintWriter err();

    /** The lines entered, as the line reader keeps them. */
    CommandHistory history();
}
