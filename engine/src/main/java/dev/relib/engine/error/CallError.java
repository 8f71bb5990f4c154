package dev.relib.engine.error;

/** A call that could not be made as asked. Nothing was called when one of these is thrown before the call. */
public abstract sealed class CallError extends EngineException {

    private CallError(String code, String message) {
        super(code, message);
    }

    public static final class SymbolNotFound extends CallError {
        public SymbolNotFound(String module, String symbol) {
            super("call.symbol_not_found", module + " has no export '" + symbol + "'; list them with: exports " + module);
        }
    }

    public static final class NoSignature extends CallError {
        public NoSignature(String symbol) {
            super("call.no_signature", "no signature known for '" + symbol + "'; give one, e.g. call " + symbol
                    + "(i32, i32) -> i32 1 2, or remember it with: sig " + symbol + "(...) -> ...");
        }
    }

    public static final class ArgumentCount extends CallError {
        public ArgumentCount(String signature, int expected, int given) {
            super("call.argument_count", signature + " takes " + expected + " argument" + (expected == 1 ? "" : "s")
                    + ", " + given + " given");
        }
    }

    /** An argument that does not parse as its type or is out of the type's range. */
    public static final class BadArgument extends CallError {
        public BadArgument(int index, String type, String text, String problem) {
            super("call.bad_argument", "argument " + (index + 1) + " ('" + text + "') is not a valid " + type + ": " + problem);
        }
    }

    /** The module raised a panic (SDK modules) or failed in a way the engine caught. */
    public static final class Panicked extends CallError {
        public Panicked(String symbol, String message) {
            super("call.panicked", symbol + " panicked: " + message);
        }
    }

    public static final class TimedOut extends CallError {
        public TimedOut(String symbol, java.time.Duration timeout) {
            super("call.timed_out", symbol + " still running after " + timeout.toMillis() + " ms");
        }
    }

    /** An SDK entry point ({@code main}) returned {@code Err}; its text went to the log. */
    public static final class EntryFailed extends CallError {
        public EntryFailed(String entry) {
            super("call.entry_failed", entry + " returned an error; its message is in the log above");
        }
    }

    /**
     * A relib export's return type disagrees with how the module returns it: relib boxes every
     * return type but primitives and pointers, and a boxed export has a {@code __post__} function.
     */
    public static final class RelibReturnType extends CallError {
        public RelibReturnType(String export, String problem) {
            super("call.relib_return_type", export + ": " + problem);
        }
    }

    /** A relib export returned without writing its success flag (0 or 1): not relib's convention. */
    public static final class NoSuccessFlag extends CallError {
        public NoSuccessFlag(String export, int flag) {
            super("call.relib_no_success_flag", export + " returned without setting its success flag (found "
                    + flag + ", expected 0 or 1): it does not follow relib's export convention; call its symbol "
                    + "as a plain function with a full signature instead");
        }
    }
}
