package dev.relib.shell.script;

import dev.relib.shell.UsageException;
import dev.relib.shell.parse.CommandLexer;
import dev.relib.shell.parse.CommandText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Commands from a pipe, handed out as each arrives rather than at end of input, so a program
 * (bash {@code coproc}, a subprocess, {@code tail -f cmds | relib}) can write one command, read its
 * answer, then write the next. A command continues over the next line while a quote is open or
 * the line ends in a backslash. Lines are read on a thread of their own, so that waiting for the
 * next one can stop when Ctrl-C asks the script to.
 */
public final class LineScript {

    /** The next commands, or why there are none. */
    public sealed interface Next {
    }

    /** Complete commands, their lines counted from the start of the input. */
    public record Commands(List<CommandText> commands) implements Next {
    }

    /** Input ended inside a command (an open quote): the text, for the lexer to report. */
    public record Unfinished(String text) implements Next {
    }

    /** End of input. */
    public record End() implements Next {
    }

    /** The waiting loop looks at its stop condition this often. */
    private static final long POLL_MILLIS = 100;
    /** What the queue holds after the last line; a distinct instance, never a line read. */
    private static final String END = new String("end of input");

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private volatile IOException failure;
    private int nextLine = 1;

    private LineScript(InputStream in) {
        Thread reader = new Thread(() -> read(in), "relib-stdin");
        reader.setDaemon(true);
        reader.start();
    }

    public static LineScript reading(InputStream in) {
        return new LineScript(in);
    }

    private void read(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            failure = e;
        }
        lines.add(END);
    }

    /**
     * Waits for the next complete commands (a line may hold several, separated by {@code ;});
     * null once {@code stop} says so.
     *
     * @throws UncheckedIOException when standard input could not be read
     */
    public Next next(BooleanSupplier stop) throws InterruptedException {
        StringBuilder text = new StringBuilder();
        int firstLine = nextLine;
        while (true) {
            String line = lines.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (stop.getAsBoolean()) {
                return null;
            }
            if (line == null) {
                continue;
            }
            if (line == END) {
                lines.add(END);
                if (failure != null) {
                    throw new UncheckedIOException(failure);
                }
                return text.isEmpty() ? new End() : new Unfinished(text.toString());
            }
            nextLine++;
            text.append(line).append('\n');
            if (continues(line)) {
                continue;
            }
            List<CommandText> commands = complete(text.toString(), firstLine);
            if (commands != null) {
                return new Commands(commands);
            }
        }
    }

    /** A line ending in an odd number of backslashes goes on over the next one. */
    private static boolean continues(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** The commands of {@code text}, or null while a quote in it is still open. */
    private static List<CommandText> complete(String text, int firstLine) {
        List<CommandText> commands;
        try {
            commands = CommandLexer.commands(text);
        } catch (UsageException e) {
            // The lexer's one complaint is an unterminated quote; the next line may close it.
            return null;
        }
        List<CommandText> located = new ArrayList<>(commands.size());
        for (CommandText command : commands) {
            located.add(new CommandText(command.text(), command.line() + firstLine - 1));
        }
        return located;
    }
}
