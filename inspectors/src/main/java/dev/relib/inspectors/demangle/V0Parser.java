package dev.relib.inspectors.demangle;

/**
 * The lexical layer of the v0 grammar (RFC 2603): a cursor over the symbol after its {@code _R}
 * prefix, with base-62 numbers, disambiguators, identifiers, hex nibbles and backrefs. Every
 * failure throws {@link MalformedSymbolException}. It also keeps the nesting depth and a step
 * budget, so that neither deep nesting nor backrefs can make demangling run away.
 */
final class V0Parser {

    static final int MAX_DEPTH = 500;
    private static final int MAX_STEPS = 4_000_000;
    private static final long U64_MAX_DIV_62 = Long.divideUnsigned(-1L, 62);

    /** An identifier: its ASCII part and, when it was Punycode-encoded, the deltas. */
    record Ident(String ascii, String punycode) {
        boolean isEmpty() {
            return ascii.isEmpty() && punycode.isEmpty();
        }
    }

    private final String sym;
    private int pos;
    private int depth;
    private int steps;

    V0Parser(String sym) {
        this.sym = sym;
    }

    int position() {
        return pos;
    }

    void seek(int position) {
        pos = position;
    }

    boolean atEnd() {
        return pos >= sym.length();
    }

    String rest() {
        return sym.substring(pos);
    }

    void pushDepth() {
        depth++;
        if (depth > MAX_DEPTH) {
            throw new MalformedSymbolException("nested deeper than " + MAX_DEPTH);
        }
        if (++steps > MAX_STEPS) {
            throw new MalformedSymbolException("too much work");
        }
    }

    void popDepth() {
        depth--;
    }

    int peek() {
        return pos < sym.length() ? sym.charAt(pos) : -1;
    }

    boolean eat(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    char next() {
        if (pos >= sym.length()) {
            throw new MalformedSymbolException("unexpected end");
        }
        return sym.charAt(pos++);
    }

    /** {@code <base-62-number>}: {@code _} is 0, otherwise digits then {@code _} encode value + 1. */
    long integer62() {
        if (eat('_')) {
            return 0;
        }
        long x = 0;
        while (!eat('_')) {
            int d = digit62(next());
            if (Long.compareUnsigned(x, U64_MAX_DIV_62) > 0) {
                throw new MalformedSymbolException("base-62 number overflows");
            }
            x = x * 62;
            x = addUnsigned(x, d);
        }
        return addUnsigned(x, 1);
    }

    /** {@code [tag <base-62-number>]}: 0 when absent, else the number + 1. */
    long optInteger62(char tag) {
        return eat(tag) ? addUnsigned(integer62(), 1) : 0;
    }

    long disambiguator() {
        return optInteger62('s');
    }

    /** A namespace tag: upper case for special ones (closures, shims), lower case otherwise (0). */
    char namespace() {
        char c = next();
        if (c >= 'A' && c <= 'Z') {
            return c;
        }
        if (c >= 'a' && c <= 'z') {
            return 0;
        }
        throw new MalformedSymbolException("bad namespace " + c);
    }

    /** Reads a backref's target, which must lie strictly before the backref's own tag. */
    int backrefTarget() {
        int tagPosition = pos - 1;
        long target = integer62();
        if (Long.compareUnsigned(target, tagPosition) >= 0) {
            throw new MalformedSymbolException("backref does not point backwards");
        }
        return (int) target;
    }

    /** {@code ["u"] <decimal-number> ["_"] <bytes>}. */
    Ident ident() {
        boolean punycode = eat('u');
        int len = digit10();
        if (len != 0) {
            while (isDigit(peek())) {
                len = len * 10 + (next() - '0');
                if (len > sym.length()) {
                    throw new MalformedSymbolException("identifier longer than the symbol");
                }
            }
        }
        eat('_');
        if (len > sym.length() - pos) {
            throw new MalformedSymbolException("identifier runs past the end");
        }
        String text = sym.substring(pos, pos + len);
        pos += len;
        if (!punycode) {
            return new Ident(text, "");
        }
        int split = text.lastIndexOf('_');
        Ident ident = split < 0 ? new Ident("", text) : new Ident(text.substring(0, split), text.substring(split + 1));
        if (ident.punycode().isEmpty()) {
            throw new MalformedSymbolException("empty punycode");
        }
        return ident;
    }

    /** Lower-case hex digits up to a {@code _}, returned without it. */
    String hexNibbles() {
        int start = pos;
        while (true) {
            char c = next();
            if (c == '_') {
                return sym.substring(start, pos - 1);
            }
            if (!(isDigit(c) || (c >= 'a' && c <= 'f'))) {
                throw new MalformedSymbolException("bad hex digit " + c);
            }
        }
    }

    private int digit10() {
        int c = peek();
        if (!isDigit(c)) {
            throw new MalformedSymbolException("expected a decimal digit");
        }
        pos++;
        return c - '0';
    }

    private static int digit62(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'z') {
            return 10 + c - 'a';
        }
        if (c >= 'A' && c <= 'Z') {
            return 36 + c - 'A';
        }
        throw new MalformedSymbolException("bad base-62 digit " + c);
    }

    private static long addUnsigned(long x, long y) {
        long sum = x + y;
        if (Long.compareUnsigned(sum, x) < 0) {
            throw new MalformedSymbolException("base-62 number overflows");
        }
        return sum;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
