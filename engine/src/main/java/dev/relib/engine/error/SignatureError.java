package dev.relib.engine.error;

/** A signature that cannot be parsed, or that disagrees with what the module declares. */
public abstract sealed class SignatureError extends EngineException {

    private SignatureError(String code, String message) {
        super(code, message);
    }

    /** Unparseable text; {@code position} is the 0-based column of the problem. */
    public static final class Malformed extends SignatureError {
        private final String text;
        private final int position;

        public Malformed(String text, int position, String problem) {
            super("signature.malformed", "malformed signature '" + text + "' at column " + (position + 1) + ": "
                    + problem + "; write it in Rust syntax, e.g. add(i32, i32) -> i32");
            this.text = text;
            this.position = position;
        }

        public String text() {
            return text;
        }

        public int position() {
            return position;
        }
    }

    public static final class UnknownType extends SignatureError {
        public UnknownType(String type) {
            super("signature.unknown_type", "unknown type '" + type + "'; supported: () bool i8..i64 u8..u64 isize usize "
                    + "f32 f64 char *const T *mut T *const c_char &str &[u8] Option<&T>");
        }
    }

    /** A user-supplied signature that disagrees with the module's manifest. */
    public static final class Mismatch extends SignatureError {
        public Mismatch(String symbol, String given, String declared) {
            super("signature.mismatch", symbol + ": the module declares " + declared + ", not " + given
                    + "; drop the signature to use the declared one");
        }
    }

    /**
     * A type nested deeper than the parsers follow ({@code &&&...u8}, {@code *const *const ...}):
     * refused before it can exhaust a stack, in the shell and in the worker alike.
     */
    public static final class TooDeep extends SignatureError {
        public TooDeep(int column, int limit) {
            super("signature.too_deep", "signature nests types more than " + limit + " deep (at column " + (column + 1)
                    + "); no C or Rust function takes such a type, so check how the signature was generated");
        }
    }

    /** An {@code import stub} definition that cannot be used. */
    public static final class InvalidStub extends SignatureError {
        public InvalidStub(String text, String problem) {
            super("signature.invalid_stub", "cannot define stub '" + text + "': " + problem
                    + "; write it as: import stub answer() -> u8 = 42");
        }
    }
}
