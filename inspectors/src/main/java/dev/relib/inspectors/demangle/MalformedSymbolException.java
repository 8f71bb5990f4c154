package dev.relib.inspectors.demangle;

/**
 * A v0 symbol broke the grammar or one of the limits. Internal: the facade turns it into an empty
 * result. It carries no stack trace because malformed input is an expected, frequent outcome.
 */
final class MalformedSymbolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MalformedSymbolException(String reason) {
        super(reason, null, false, false);
    }
}
