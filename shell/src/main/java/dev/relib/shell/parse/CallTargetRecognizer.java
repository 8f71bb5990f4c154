package dev.relib.shell.parse;

import dev.relib.engine.call.SignatureParser;
import dev.relib.engine.error.SignatureError;

/**
 * Finds where a call target ends in the raw text after {@code call} or {@code sig}, before the
 * text is split into words: a signature holds spaces ({@code add(i32, i32) -> i32}) and quotes
 * that are lifetimes ({@code &'static str}), so it must be grouped first.
 *
 * <p>Grammar: {@code SYMBOL [ '(' balanced ')' [ '->' TYPE ] ]}, where TYPE is {@code *const T},
 * {@code *mut T}, {@code &['a] [mut] T}, a balanced {@code (...)} or {@code [...]}, or a path with
 * an optional balanced {@code <...>}.
 */
public final class CallTargetRecognizer {

    /**
     * @param target    the target text, whole ({@code count_sheep(u32) -> &str})
     * @param remainder the rest of the command (arguments and options), raw
     */
    public record Recognized(String target, String remainder) {
    }

    private final String text;
    private int pos;
    private int depth;

    private CallTargetRecognizer(String text) {
        this.text = text;
    }

    /** Recognizes the target at the start of {@code text} (leading blanks allowed). */
    public static Recognized recognize(String text) {
        return new CallTargetRecognizer(text).run();
    }

    private Recognized run() {
        skipBlanks();
        int start = pos;
        while (pos < text.length() && !Character.isWhitespace(text.charAt(pos)) && text.charAt(pos) != '(') {
            pos++;
        }
        if (pos < text.length() && text.charAt(pos) == '(') {
            if (pos == start) {
                throw malformed(start, "the symbol's name is missing before '('");
            }
            balanced(start);
            int afterParams = pos;
            skipBlanks();
            if (text.startsWith("->", pos)) {
                pos += 2;
                skipBlanks();
                type(start);
            } else {
                pos = afterParams;
            }
        }
        return new Recognized(text.substring(start, pos).strip(), text.substring(pos));
    }

    private void type(int targetStart) {
        if (++depth > SignatureParser.MAX_NESTING) {
            throw new SignatureError.TooDeep(pos - targetStart, SignatureParser.MAX_NESTING);
        }
        if (pos >= text.length()) {
            throw malformed(targetStart, "a return type must follow '->'");
        }
        char c = text.charAt(pos);
        if (c == '*') {
            pos++;
            skipBlanks();
            if (!word("const") && !word("mut")) {
                throw malformed(targetStart, "a raw pointer is written *const T or *mut T");
            }
            skipBlanks();
            type(targetStart);
        } else if (c == '&') {
            pos++;
            if (pos < text.length() && text.charAt(pos) == '\'') {
                pos++;
                identifier();
            }
            skipBlanks();
            if (word("mut")) {
                skipBlanks();
            }
            type(targetStart);
        } else if (c == '(' || c == '[') {
            balanced(targetStart);
        } else if (Character.isJavaIdentifierStart(c)) {
            identifier();
            while (text.startsWith("::", pos)) {
                pos += 2;
                identifier();
            }
            if (pos < text.length() && text.charAt(pos) == '<') {
                balanced(targetStart);
            }
        } else {
            throw malformed(targetStart, "expected a return type after '->', found '" + c + "'");
        }
    }

    /** Consumes a group opened at {@code pos}, nesting (), [] and <> and honouring lifetimes. */
    private void balanced(int targetStart) {
        int open = pos;
        int depth = 0;
        for (; pos < text.length(); pos++) {
            char c = text.charAt(pos);
            if (c == '(' || c == '[' || c == '<') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '>') && !(c == '>' && text.charAt(pos - 1) == '-')) {
                depth--;
                if (depth == 0) {
                    pos++;
                    return;
                }
            }
        }
        pos = open;
        throw malformed(targetStart, "'" + text.charAt(open) + "' at column " + (open - targetStart + 1) + " is never closed");
    }

    private boolean word(String keyword) {
        int end = pos + keyword.length();
        if (text.startsWith(keyword, pos) && (end >= text.length() || !Character.isJavaIdentifierPart(text.charAt(end)))) {
            pos = end;
            return true;
        }
        return false;
    }

    private void identifier() {
        while (pos < text.length() && Character.isJavaIdentifierPart(text.charAt(pos))) {
            pos++;
        }
    }

    private void skipBlanks() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private SignatureError.Malformed malformed(int targetStart, String problem) {
        String shown = text.substring(targetStart).strip();
        return new SignatureError.Malformed(shown, Math.max(0, pos - targetStart), problem);
    }
}
