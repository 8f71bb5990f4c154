package dev.relib.inspectors.demangle;

import dev.relib.inspectors.demangle.V0Parser.Ident;

/**
 * The v0 grammar (RFC 2603) as a recursive-descent printer: paths, types, generic arguments and
 * constants, written in the syntax rustc-demangle uses. While printing is suppressed (the path of
 * an impl, the instantiating crate), backrefs are checked but not followed and binders are not
 * tracked, as rustc-demangle does.
 */
final class V0Printer {

    static final int MAX_OUTPUT = 1_000_000;

    private final V0Parser parser;
    private final boolean verbose;
    private final StringBuilder out = new StringBuilder();
    private int suppressed;
    private long boundLifetimes;

    /**
     * @param verbose rustc-demangle's plain format: crate disambiguators and the types of integer
     *                constants shown; otherwise its alternate {@code {:#}} format
     */
    V0Printer(V0Parser parser, boolean verbose) {
        this.parser = parser;
        this.verbose = verbose;
    }

    String output() {
        return out.toString();
    }

    /** Parses one path without printing it, e.g. the instantiating crate. */
    void skipPath() {
        suppressed++;
        path(false);
        suppressed--;
    }

    void path(boolean inValue) {
        parser.pushDepth();
        char tag = parser.next();
        switch (tag) {
            case 'C' -> {
                long dis = parser.disambiguator();
                ident(parser.ident());
                if (verbose && dis != 0) {
                    print("[").print(Long.toHexString(dis)).print("]");
                }
            }
            case 'N' -> nested(inValue);
            case 'M', 'X', 'Y' -> {
                if (tag != 'Y') {
                    parser.disambiguator();
                    skipPath();
                }
                print("<");
                type();
                if (tag != 'M') {
                    print(" as ");
                    path(false);
                }
                print(">");
            }
            case 'I' -> {
                path(inValue);
                if (inValue) {
                    print("::");
                }
                print("<");
                list(this::genericArg, ", ");
                print(">");
            }
            case 'B' -> backref(() -> path(inValue));
            default -> throw new MalformedSymbolException("bad path tag " + tag);
        }
        parser.popDepth();
    }

    private void nested(boolean inValue) {
        char namespace = parser.namespace();
        path(inValue);
        long dis = parser.disambiguator();
        Ident name = parser.ident();
        if (namespace != 0) {
            print("::{");
            switch (namespace) {
                case 'C' -> print("closure");
                case 'S' -> print("shim");
                default -> print(String.valueOf(namespace));
            }
            if (!name.isEmpty()) {
                print(":");
                ident(name);
            }
            print("#").print(Long.toUnsignedString(dis)).print("}");
        } else if (!name.isEmpty()) {
            print("::");
            ident(name);
        }
    }

    private void genericArg() {
        if (parser.eat('L')) {
            lifetime(parser.integer62());
        } else if (parser.eat('K')) {
            constant(false);
        } else {
            type();
        }
    }

    void type() {
        char tag = parser.next();
        String basic = BasicType.name(tag);
        if (basic != null) {
            print(basic);
            return;
        }
        parser.pushDepth();
        switch (tag) {
            case 'R', 'Q' -> {
                print("&");
                if (parser.eat('L')) {
                    long lt = parser.integer62();
                    if (lt != 0) {
                        lifetime(lt);
                        print(" ");
                    }
                }
                if (tag == 'Q') {
                    print("mut ");
                }
                type();
            }
            case 'P', 'O' -> {
                print(tag == 'P' ? "*const " : "*mut ");
                type();
            }
            case 'A', 'S' -> {
                print("[");
                type();
                if (tag == 'A') {
                    print("; ");
                    constant(true);
                }
                print("]");
            }
            case 'T' -> {
                print("(");
                int count = list(this::type, ", ");
                print(count == 1 ? ",)" : ")");
            }
            case 'F' -> inBinder(this::fnSignature);
            case 'D' -> dynTrait();
            case 'B' -> backref(this::type);
            case 'W' -> {
                type();
                print(" is ");
                pattern();
            }
            default -> {
                parser.seek(parser.position() - 1);
                path(false);
            }
        }
        parser.popDepth();
    }

    private void fnSignature() {
        boolean isUnsafe = parser.eat('U');
        String abi = null;
        if (parser.eat('K')) {
            if (parser.eat('C')) {
                abi = "C";
            } else {
                Ident name = parser.ident();
                if (name.ascii().isEmpty() || !name.punycode().isEmpty()) {
                    throw new MalformedSymbolException("bad ABI name");
                }
                abi = name.ascii();
            }
        }
        if (isUnsafe) {
            print("unsafe ");
        }
        if (abi != null) {
            // The mangler replaced each '-' of the ABI name with '_'.
            print("extern \"").print(abi.replace('_', '-')).print("\" ");
        }
        print("fn(");
        list(this::type, ", ");
        print(")");
        if (!parser.eat('u')) {
            print(" -> ");
            type();
        }
    }

    private void dynTrait() {
        print("dyn ");
        inBinder(() -> list(this::dynBound, " + "));
        if (!parser.eat('L')) {
            throw new MalformedSymbolException("dyn without lifetime");
        }
        long lt = parser.integer62();
        if (lt != 0) {
            print(" + ");
            lifetime(lt);
        }
    }

    /** One trait of a {@code dyn}, with its associated-type bindings inside the trait's {@code <>}. */
    private void dynBound() {
        boolean open = pathKeepingGenericsOpen();
        while (parser.eat('p')) {
            print(open ? ", " : "<");
            open = true;
            ident(parser.ident());
            print(" = ");
            type();
        }
        if (open) {
            print(">");
        }
    }

    /** Prints a path; for a generic one, leaves its {@code <} open and returns true. */
    private boolean pathKeepingGenericsOpen() {
        if (parser.eat('B')) {
            boolean[] open = {false};
            backref(() -> open[0] = pathKeepingGenericsOpen());
            return open[0];
        }
        if (parser.eat('I')) {
            path(false);
            print("<");
            list(this::genericArg, ", ");
            return true;
        }
        path(false);
        return false;
    }

    /** Pattern types ({@code u32 is 1..=9}). */
    private void pattern() {
        char tag = parser.next();
        switch (tag) {
            case 'R' -> {
                constant(false);
                print("..=");
                constant(false);
            }
            case 'O' -> {
                parser.pushDepth();
                pattern();
                while (!parser.eat('E')) {
                    print(" | ");
                    pattern();
                }
                parser.popDepth();
            }
            case 'N' -> print("!null");
            default -> throw new MalformedSymbolException("bad pattern tag " + tag);
        }
    }

    void constant(boolean inValue) {
        new V0ConstPrinter(this, parser, verbose).constant(inValue);
    }

    /** Runs {@code body} on the backref's target, then resumes after the backref. */
    void backref(Runnable body) {
        int target = parser.backrefTarget();
        parser.pushDepth();
        if (suppressed == 0) {
            int resume = parser.position();
            parser.seek(target);
            body.run();
            parser.seek(resume);
        }
        parser.popDepth();
    }

    /** An optional binder {@code G}: prints {@code for<'a, 'b> } and makes them visible to body. */
    private void inBinder(Runnable body) {
        long count = parser.optInteger62('G');
        if (suppressed > 0) {
            body.run();
            return;
        }
        if (count > 0) {
            if (count > MAX_OUTPUT) {
                throw new MalformedSymbolException("binder too large");
            }
            print("for<");
            for (long i = 0; i < count; i++) {
                if (i > 0) {
                    print(", ");
                }
                boundLifetimes++;
                lifetime(1);
            }
            print("> ");
        }
        body.run();
        boundLifetimes -= count;
    }

    /** Index 0 is {@code '_}; index i counts back from the innermost bound lifetime. */
    private void lifetime(long index) {
        if (suppressed > 0) {
            return;
        }
        print("'");
        if (index == 0) {
            print("_");
            return;
        }
        if (Long.compareUnsigned(index, boundLifetimes) > 0) {
            throw new MalformedSymbolException("lifetime index not bound");
        }
        long depth = boundLifetimes - index;
        print(depth < 26 ? String.valueOf((char) ('a' + depth)) : "_" + depth);
    }

    /** Elements until {@code E}, separated; returns how many. */
    int list(Runnable element, String separator) {
        int count = 0;
        while (!parser.eat('E')) {
            if (count > 0) {
                print(separator);
            }
            element.run();
            count++;
        }
        return count;
    }

    void ident(Ident name) {
        if (suppressed > 0) {
            return;
        }
        if (name.punycode().isEmpty()) {
            print(name.ascii());
            return;
        }
        String decoded = Punycode.decode(name.ascii(), name.punycode()).orElse(null);
        if (decoded != null) {
            print(decoded);
        } else {
            // rustc-demangle shows undecodable Punycode in its standard '-' separated form.
            print("punycode{");
            if (!name.ascii().isEmpty()) {
                print(name.ascii()).print("-");
            }
            print(name.punycode()).print("}");
        }
    }

    V0Printer print(String text) {
        if (suppressed == 0) {
            if (out.length() + text.length() > MAX_OUTPUT) {
                throw new MalformedSymbolException("demangled name too long");
            }
            out.append(text);
        }
        return this;
    }
}
