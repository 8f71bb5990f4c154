package dev.relib.engine.relib.call;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A panic as Rust's default panic hook printed it to stderr, which is all a relib module says about
 * one (its export only clears the success flag):
 * <pre>
 * thread 'main' (4711) panicked at src/lib.rs:7:5:
 * expected panic
 * note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
 * </pre>
 * (before Rust 1.89 without the thread id; before 1.73 as {@code panicked at 'MESSAGE', FILE:L:C}).
 *
 * @param thread    the thread's name as Rust printed it ({@code main}, {@code <unnamed>})
 * @param threadId  the id Rust printed beside the name, or 0
 * @param message   the message, all its lines
 * @param file      the location's file
 * @param backtrace the "stack backtrace:" block when RUST_BACKTRACE was set, else null
 */
public record PanicOutput(String thread, long threadId, String message, String file, int line, int column,
                          String backtrace) {

    private static final Pattern HEADER = Pattern.compile(
            "^thread '(.*?)'(?: \\((\\d+)\\))? panicked at (.+):(\\d+):(\\d+):$");
    private static final Pattern OLD_HEADER = Pattern.compile(
            "^thread '(.*?)'(?: \\((\\d+)\\))? panicked at '(.*)', (.+):(\\d+):(\\d+)$");

    /** The last panic in the text, or empty when it holds none. */
    public static Optional<PanicOutput> lastIn(String stderr) {
        List<PanicOutput> all = allIn(stderr);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * The panic a line in std's exact header format starts, with its thread and location but no
     * message yet (that follows on the next lines); empty for any other line.
     */
    public static Optional<PanicOutput> header(String line) {
        return allIn(line).stream().findFirst();
    }

    /**
     * Every panic in the text, oldest first. Only a line in std's exact header format starts one, so
     * ordinary output is never taken for a panic; lines that do not start with {@code thread '} cost
     * one comparison.
     */
    public static List<PanicOutput> allIn(String stderr) {
        List<String> lines = stderr.lines().toList();
        List<PanicOutput> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("thread '")) {
                continue;
            }
            Matcher header = HEADER.matcher(line);
            if (header.matches()) {
                found.add(fromHeader(header, lines, i));
                continue;
            }
            Matcher old = OLD_HEADER.matcher(line);
            if (old.matches()) {
                found.add(new PanicOutput(old.group(1), id(old.group(2)), old.group(3), old.group(4),
                        Integer.parseInt(old.group(5)), Integer.parseInt(old.group(6)), backtraceAt(lines, i + 1)));
            }
        }
        return found;
    }

    private static PanicOutput fromHeader(Matcher header, List<String> lines, int at) {
        StringBuilder message = new StringBuilder();
        int i = at + 1;
        for (; i < lines.size() && !endsMessage(lines.get(i)); i++) {
            message.append(message.length() == 0 ? "" : "\n").append(lines.get(i));
        }
        // Newer Rust prints an empty line before each header: the next panic's, not this message's.
        int end = message.length();
        while (end > 0 && message.charAt(end - 1) == '\n') {
            end--;
        }
        message.setLength(end);
        return new PanicOutput(header.group(1), id(header.group(2)), message.toString(), header.group(3),
                Integer.parseInt(header.group(4)), Integer.parseInt(header.group(5)), backtraceAt(lines, i));
    }

    private static boolean endsMessage(String line) {
        return line.startsWith("note: ") || line.equals("stack backtrace:") || line.startsWith("thread '")
                || line.startsWith("[relib]");
    }

    /** The "stack backtrace:" block printed right after a panic's message, not a later panic's; else null. */
    private static String backtraceAt(List<String> lines, int from) {
        if (from >= lines.size() || !lines.get(from).equals("stack backtrace:")) {
            return null;
        }
        int end = from + 1;
        while (end < lines.size() && (lines.get(end).startsWith(" ") || lines.get(end).startsWith("note: "))) {
            end++;
        }
        return String.join("\n", lines.subList(from + 1, end));
    }

    private static long id(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }
}
