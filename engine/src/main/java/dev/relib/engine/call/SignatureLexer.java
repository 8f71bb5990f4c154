package dev.relib.engine.call;

import dev.relib.engine.error.SignatureError;
import java.util.ArrayList;
import java.util.List;

/** Splits signature text into tokens: identifiers, lifetimes, the ABI string, numbers, punctuation. */
final class SignatureLexer {

    private final String text;

    SignatureLexer(String text) {
        this.text = text;
    }

    List<Token> tokens() {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int end = identifierEnd(i);
                tokens.add(new Token(Token.Kind.IDENT, text.substring(i, end), i));
                i = end;
            } else if (Character.isDigit(c)) {
                int end = identifierEnd(i);
                tokens.add(new Token(Token.Kind.NUMBER, text.substring(i, end), i));
                i = end;
            } else if (c == '\'') {
                int end = identifierEnd(i + 1);
                if (end == i + 1) {
                    throw new SignatureError.Malformed(text, i, "expected a lifetime name after '");
                }
                tokens.add(new Token(Token.Kind.LIFETIME, text.substring(i, end), i));
                i = end;
            } else if (c == '"') {
                int close = text.indexOf('"', i + 1);
                if (close < 0) {
                    throw new SignatureError.Malformed(text, i, "unterminated string");
                }
                tokens.add(new Token(Token.Kind.STRING, text.substring(i + 1, close), i));
                i = close + 1;
            } else if (text.startsWith("->", i) || text.startsWith("::", i)) {
                tokens.add(new Token(Token.Kind.PUNCT, text.substring(i, i + 2), i));
                i += 2;
            } else if ("(),:*&[]<>;{}".indexOf(c) >= 0) {
                tokens.add(new Token(Token.Kind.PUNCT, String.valueOf(c), i));
                i++;
            } else {
                throw new SignatureError.Malformed(text, i, "unexpected character '" + c + "'");
            }
        }
        tokens.add(new Token(Token.Kind.END, "", text.length()));
        return tokens;
    }

    private int identifierEnd(int from) {
        int i = from;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
            i++;
        }
        return i;
    }
}
