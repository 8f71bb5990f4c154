package dev.relib.engine.call;

/** A literal that does not parse; the message says why, and the caller adds which argument it was. */
final class LiteralSyntaxException extends Exception {

    LiteralSyntaxException(String problem) {
        super(problem, null, false, false);
    }
}
