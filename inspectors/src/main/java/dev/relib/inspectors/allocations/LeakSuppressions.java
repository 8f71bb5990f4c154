package dev.relib.inspectors.allocations;

import dev.relib.inspectors.symbols.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A suppressions file for leak reports: one pattern a line, {@code #} starts a comment, blank lines
 * are ignored. A pattern is either {@code FILE:LINE} (a frame whose source file ends with FILE, at
 * that line) or a function name, where {@code *} matches any run of characters
 * ({@code std::io::*}, {@code make_record}). A leak group is suppressed by the first pattern that
 * matches any frame of its allocation stack, inlined levels included; each pattern counts what it hid.
 */
public final class LeakSuppressions {

    /** One line of the file. */
    public record Suppression(int line, String pattern) {
    }

    private record Compiled(Suppression suppression, String file, int sourceLine, Pattern function) {

        boolean matches(Frame frame) {
            if (function != null) {
                return frame.function() != null && function.matcher(frame.function()).matches();
            }
            return frame.file() != null && frame.line() == sourceLine
                    && (frame.file().equals(file) || frame.file().endsWith("/" + file));
        }
    }

    private static final Pattern FILE_LINE = Pattern.compile("(.+):([0-9]+)");

    private final List<Compiled> patterns;

    private LeakSuppressions(List<Compiled> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    public static LeakSuppressions none() {
        return new LeakSuppressions(List.of());
    }

    /**
     * Parses the file's text.
     *
     * @throws IllegalArgumentException naming the line of a pattern that cannot match anything
     */
    public static LeakSuppressions parse(String text) {
        List<Compiled> patterns = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String pattern = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (pattern.isEmpty()) {
                continue;
            }
            Suppression suppression = new Suppression(i + 1, pattern);
            var fileLine = FILE_LINE.matcher(pattern);
            if (fileLine.matches() && !pattern.contains("::")) {
                int sourceLine = Integer.parseInt(fileLine.group(2));
                if (sourceLine == 0) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": '" + pattern
                            + "': source lines start at 1");
                }
                patterns.add(new Compiled(suppression, fileLine.group(1), sourceLine, null));
            } else if (pattern.replace("*", "").isEmpty()) {
                throw new IllegalArgumentException("line " + (i + 1) + ": '" + pattern
                        + "' would hide every leak; name a function or FILE:LINE");
            } else {
                patterns.add(new Compiled(suppression, null, 0, glob(pattern)));
            }
        }
        return new LeakSuppressions(patterns);
    }

    private static Pattern glob(String pattern) {
        List<String> parts = new ArrayList<>();
        for (String part : pattern.split("\\*", -1)) {
            parts.add(Pattern.quote(part));
        }
        return Pattern.compile(String.join(".*", parts));
    }

    public List<Suppression> suppressions() {
        return patterns.stream().map(Compiled::suppression).toList();
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** The first suppression matching any of the frames. */
    public Optional<Suppression> match(List<Frame> frames) {
        for (Compiled p : patterns) {
            for (Frame frame : frames) {
                if (p.matches(frame)) {
                    return Optional.of(p.suppression());
                }
            }
        }
        return Optional.empty();
    }
}
