package dev.relib.inspectors.demangle;

import java.util.Optional;

/**
 * Rust's v0 mangling (RFC 2603): {@code _R} (or {@code R}, {@code __R}), a path, optionally the
 * instantiating crate's path, and whatever suffix followed.
 */
final class V0Demangler {

    private static final String[] PREFIXES = {"_R", "R", "__R"};

    private V0Demangler() {
    }

    static Optional<Demangling> demangle(String symbol, boolean verbose) {
        String inner = null;
        for (String prefix : PREFIXES) {
            if (symbol.length() > prefix.length() && symbol.startsWith(prefix)) {
                inner = symbol.substring(prefix.length());
                break;
            }
        }
        // Paths start with an upper-case tag; anything else is not a v0 symbol.
        if (inner == null || !isUpper(inner.charAt(0)) || !LegacyDemangler.isAscii(inner)) {
            return Optional.empty();
        }
        V0Parser parser = new V0Parser(inner);
        V0Printer printer = new V0Printer(parser, verbose);
        try {
            printer.path(true);
            if (!parser.atEnd() && isUpper((char) parser.peek())) {
                printer.skipPath();
            }
        } catch (MalformedSymbolException malformed) {
            return Optional.empty();
        }
        return Optional.of(new Demangling(printer.output(), parser.rest()));
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }
}
