package dev.relib.engine.call;

/** One lexical token of a signature, with its 0-based column for error messages. */
record Token(Kind kind, String text, int column) {

    enum Kind { IDENT, LIFETIME, STRING, NUMBER, PUNCT, END }

    boolean is(String punctuation) {
        return kind == Kind.PUNCT && text.equals(punctuation);
    }

    boolean isWord(String word) {
        return kind == Kind.IDENT && text.equals(word);
    }
}
