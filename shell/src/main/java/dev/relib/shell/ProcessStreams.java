package dev.relib.shell;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * The process around the shell, passed in so tests can run {@link Main} without a terminal.
 *
 * @param stdinIsTerminal  standard input is a terminal (REPL) rather than a pipe or file (script)
 * @param stdoutIsTerminal standard output is a terminal (styling allowed)
 * @param stderrIsTerminal standard error is a terminal (styling of errors and warnings allowed)
 */
public record ProcessStreams(InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
                             boolean stdinIsTerminal, boolean stdoutIsTerminal, boolean stderrIsTerminal) {

    /** Standard error a terminal when standard output is one. */
    public ProcessStreams(InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
                          boolean stdinIsTerminal, boolean stdoutIsTerminal) {
        this(in, out, err, env, stdinIsTerminal, stdoutIsTerminal, stdoutIsTerminal);
    }
}
