package dev.relib.shell.parse;

import dev.relib.shell.UsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads shell input the way a POSIX shell would, reduced to what relib needs: {@code ;} and new
 * lines separate commands, {@code "..."} and {@code '...'} quote, a backslash escapes the next
 * character, and {@code #} at the start of a word begins a comment.
 *
 * <p>Two exceptions keep Rust syntax and module ids readable without quoting: {@code #} followed
 * by a digit is a module id ({@code info #2}), not a comment; and {@code '} right after {@code &}
 * is a lifetime ({@code &'static str}), not a quote.
 */
public final class CommandLexer {

    private CommandLexer() {
    }

    /** Splits a script (or a {@code -c} argument, or one typed line) into commands. */
    public static List<CommandText> commands(String script) {
        List<CommandText> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int line = 1;
        int startLine = 1;
        char quote = 0;
        boolean started = false;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (quote != 0) {
                current.append(c);
                if (c == '\n') {
                    line++;
                }
                if (c == '\\' && quote == '"' && i + 1 < script.length()) {
                    current.append(script.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            // Whether the command has begun is tracked, not recomputed from the text so far: that
            // made a long word quadratic (issue 16.4).
            if (!Character.isWhitespace(c) && c != ';' && !started) {
                startLine = line;
                started = true;
            }
            if (c == '\\' && i + 1 < script.length() && script.charAt(i + 1) != '\n') {
                current.append(c).append(script.charAt(++i));
            } else if (c == '\\' && i + 1 < script.length()) {
                i++;
                line++;
                current.append(' ');
            } else if (c == '"' || (c == '\'' && !isLifetime(script, i))) {
                quote = c;
                current.append(c);
            } else if (c == '#' && startsComment(script, i)) {
                while (i + 1 < script.length() && script.charAt(i + 1) != '\n') {
                    i++;
                }
            } else if (c == ';' || c == '\n') {
                add(commands, current, startLine);
                started = false;
                if (c == '\n') {
                    line++;
                }
                startLine = line;
            } else {
                current.append(c);
            }
        }
        if (quote != 0) {
            throw new UsageException("unterminated " + quote + " quote on line " + startLine + "; close it with " + quote);
        }
        add(commands, current, startLine);
        return commands;
    }

    /** Splits one command into words, removing quotes and escapes. */
    public static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (c == '#' && startsComment(command, i)) {
                break;
            } else if (c == '\\') {
                inWord = true;
                if (i + 1 < command.length()) {
                    word.append(command.charAt(++i));
                }
            } else if (c == '"') {
                inWord = true;
                i = readDoubleQuoted(command, i + 1, word);
            } else if (c == '\'' && !isLifetime(command, i)) {
                inWord = true;
                int end = command.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new UsageException("unterminated ' quote in: " + command + "; close it with '");
                }
                word.append(command, i + 1, end);
                i = end;
            } else {
                inWord = true;
                word.append(c);
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /**
     * Splits a call's arguments into words, keeping each literal as typed so the engine reads it in
     * Rust syntax: <code>"a\x41&#92;u{1F600}"</code> keeps its quotes and escapes, {@code b"abc"} its
     * {@code b}, {@code [1, 2, 0xff]} and {@code {x: 1, y: 2}} stay one word with their spaces, and
     * {@code Point {x: 1}} joins the name to its braces. Outside quotes a backslash escapes the next
     * character and {@code #} starts a comment, as in {@link #words}. One pass: linear in the text.
     */
    public static List<String> arguments(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int i = 0;
        int length = text.length();
        while (i < length) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                int next = i;
                while (next < length && Character.isWhitespace(text.charAt(next))) {
                    next++;
                }
                boolean namedBraces = next < length && text.charAt(next) == '{' && isIdentifier(word);
                if (!namedBraces && !word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
                if (namedBraces) {
                    word.append(' ');
                }
                i = next;
            } else if (c == '#' && word.isEmpty() && startsComment(text, i)) {
                break;
            } else if (c == '\\') {
                if (i + 1 < length) {
                    word.append(text.charAt(i + 1));
                }
                i += 2;
            } else if (c == '"' || c == '\'') {
                i = readRawQuoted(text, i, word);
            } else if (c == '[' || c == '{') {
                i = readRawGroup(text, i, word);
            } else {
                word.append(c);
                i++;
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends a quoted literal from its opening quote through its closing one, escapes kept; returns the index after it. */
    private static int readRawQuoted(String text, int open, StringBuilder word) {
        char quote = text.charAt(open);
        word.append(quote);
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            word.append(c);
            if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
            } else if (c == quote) {
                return i + 1;
            }
        }
        throw new UsageException("unterminated " + quote + " quote in an argument; close it with " + quote);
    }

    /** Appends a bracketed group, nested brackets and quoted literals inside included; returns the index after it. */
    private static int readRawGroup(String text, int open, StringBuilder word) {
        int depth = 0;
        int i = open;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                i = readRawQuoted(text, i, word);
                continue;
            }
            word.append(c);
            i++;
            if (c == '[' || c == '{') {
                depth++;
            } else if ((c == ']' || c == '}') && --depth == 0) {
                return i;
            }
        }
        throw new UsageException("'" + text.charAt(open) + "' in an argument is never closed; close it with "
                + (text.charAt(open) == '[' ? "]" : "}"));
    }

    private static boolean isIdentifier(CharSequence word) {
        if (word.isEmpty() || !Character.isJavaIdentifierStart(word.charAt(0))) {
            return false;
        }
        for (int i = 1; i < word.length(); i++) {
            if (!Character.isJavaIdentifierPart(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Reads after an opening {@code "}; returns the index of the closing one. */
    private static int readDoubleQuoted(String text, int from, StringBuilder word) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                switch (next) {
                    case 'n' -> word.append('\n');
                    case 't' -> word.append('\t');
                    case '0' -> word.append('\0');
                    default -> word.append(next);
                }
            } else {
                word.append(c);
            }
        }
        throw new UsageException("unterminated \" quote in: " + text + "; close it with \"");
    }

    static boolean isLifetime(String text, int quoteIndex) {
        return quoteIndex > 0 && text.charAt(quoteIndex - 1) == '&'
                && quoteIndex + 1 < text.length() && Character.isJavaIdentifierStart(text.charAt(quoteIndex + 1));
    }

    private static boolean startsComment(String text, int hashIndex) {
        boolean wordStart = hashIndex == 0 || Character.isWhitespace(text.charAt(hashIndex - 1))
                || text.charAt(hashIndex - 1) == ';';
        boolean moduleId = hashIndex + 1 < text.length() && Character.isDigit(text.charAt(hashIndex + 1));
        return wordStart && !moduleId;
    }

    private static void add(List<CommandText> commands, StringBuilder current, int line) {
        String text = current.toString().strip();
        if (!text.isEmpty()) {
            commands.add(new CommandText(text, line));
        }
        current.setLength(0);
    }
}
