package dev.relib.inspectors.demangle;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Constants of the v0 grammar: integer, bool and char leaves, and the {@code str}, reference,
 * array, tuple and ADT values of const generics. Outside another constant, a non-literal value is
 * wrapped in braces ({@code {&[1, 2]}}), as rustc-demangle prints it.
 */
final class V0ConstPrinter {

    private final V0Printer printer;
    private final V0Parser parser;
    private final boolean verbose;

    V0ConstPrinter(V0Printer printer, V0Parser parser, boolean verbose) {
        this.printer = printer;
        this.parser = parser;
        this.verbose = verbose;
    }

    void constant(boolean inValue) {
        char tag = parser.next();
        parser.pushDepth();
        boolean braced = false;
        switch (tag) {
            case 'p' -> printer.print("_");
            case 'h', 't', 'm', 'y', 'o', 'j' -> unsigned(tag);
            case 'a', 's', 'l', 'x', 'n', 'i' -> {
                if (parser.eat('n')) {
                    printer.print("-");
                }
                unsigned(tag);
            }
            case 'b' -> {
                String nibbles = parser.hexNibbles();
                long value = smallValue(nibbles);
                if (value != 0 && value != 1) {
                    throw new MalformedSymbolException("bool constant " + nibbles);
                }
                printer.print(value == 1 ? "true" : "false");
            }
            case 'c' -> {
                long value = smallValue(parser.hexNibbles());
                if (!isScalar(value)) {
                    throw new MalformedSymbolException("char constant out of range");
                }
                printer.print(quoted('\'', Character.toString((int) value)));
            }
            case 'e' -> {
                braced = openBrace(inValue);
                // A literal "..." is a &str, so the str itself is written *"...".
                printer.print("*");
                stringLiteral();
            }
            case 'R', 'Q' -> {
                if (tag == 'R' && parser.eat('e')) {
                    stringLiteral();
                } else {
                    braced = openBrace(inValue);
                    printer.print(tag == 'R' ? "&" : "&mut ");
                    constant(true);
                }
            }
            case 'A' -> {
                braced = openBrace(inValue);
                printer.print("[");
                printer.list(() -> constant(true), ", ");
                printer.print("]");
            }
            case 'T' -> {
                braced = openBrace(inValue);
                printer.print("(");
                int count = printer.list(() -> constant(true), ", ");
                printer.print(count == 1 ? ",)" : ")");
            }
            case 'V' -> {
                braced = openBrace(inValue);
                adt();
            }
            case 'B' -> printer.backref(() -> constant(inValue));
            default -> throw new MalformedSymbolException("bad const tag " + tag);
        }
        if (braced) {
            printer.print("}");
        }
        parser.popDepth();
    }

    private boolean openBrace(boolean inValue) {
        if (inValue) {
            return false;
        }
        printer.print("{");
        return true;
    }

    /** An enum variant or struct value: unit, tuple-like or with named fields. */
    private void adt() {
        printer.path(true);
        char shape = parser.next();
        switch (shape) {
            case 'U' -> {
            }
            case 'T' -> {
                printer.print("(");
                printer.list(() -> constant(true), ", ");
                printer.print(")");
            }
            case 'S' -> {
                printer.print(" { ");
                printer.list(() -> {
                    parser.disambiguator();
                    printer.ident(parser.ident());
                    printer.print(": ");
                    constant(true);
                }, ", ");
                printer.print(" }");
            }
            default -> throw new MalformedSymbolException("bad ADT constant shape " + shape);
        }
    }

    /** An integer leaf: decimal when it fits 64 bits, else the hex digits; typed when verbose. */
    private void unsigned(char typeTag) {
        String nibbles = parser.hexNibbles();
        String significant = stripLeadingZeros(nibbles);
        if (significant.length() <= 16) {
            printer.print(Long.toUnsignedString(significant.isEmpty() ? 0 : Long.parseUnsignedLong(significant, 16)));
        } else {
            printer.print("0x").print(nibbles);
        }
        if (verbose) {
            printer.print(BasicType.name(typeTag));
        }
    }

    /** The value of nibbles that fit 64 bits, or -1 when they do not. */
    private static long smallValue(String nibbles) {
        String significant = stripLeadingZeros(nibbles);
        if (significant.isEmpty()) {
            return 0;
        }
        if (significant.length() > 8) {
            return -1;
        }
        return Long.parseLong(significant, 16);
    }

    private void stringLiteral() {
        String nibbles = parser.hexNibbles();
        if (nibbles.length() % 2 != 0) {
            throw new MalformedSymbolException("odd number of nibbles in a string");
        }
        byte[] bytes = new byte[nibbles.length() / 2];
        for (int k = 0; k < bytes.length; k++) {
            bytes[k] = (byte) Integer.parseInt(nibbles, 2 * k, 2 * k + 2, 16);
        }
        try {
            CharBuffer text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            printer.print(quoted('"', text.toString()));
        } catch (CharacterCodingException invalidUtf8) {
            throw new MalformedSymbolException("string constant is not UTF-8");
        }
    }

    /**
     * Quotes text the way Rust's {@code escape_debug} does, except that the other kind of quote
     * stays as it is. Which characters count as printable follows Java's Unicode categories, a
     * close approximation of Rust's table.
     */
    static String quoted(char quote, String text) {
        StringBuilder out = new StringBuilder().append(quote);
        text.codePoints().forEach(c -> {
            switch (c) {
                case 0 -> out.append("\\0");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\\' -> out.append("\\\\");
                case '\'', '"' -> out.append(c == quote ? "\\" : "").appendCodePoint(c);
                default -> {
                    if (isPrintable(c)) {
                        out.appendCodePoint(c);
                    } else {
                        out.append("\\u{").append(Integer.toHexString(c)).append('}');
                    }
                }
            }
        });
        return out.append(quote).toString();
    }

    private static boolean isPrintable(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.NON_SPACING_MARK, Character.ENCLOSING_MARK -> false;
            case Character.SPACE_SEPARATOR -> c == ' ';
            default -> true;
        };
    }

    private static boolean isScalar(long value) {
        return value >= 0 && value <= Character.MAX_CODE_POINT
                && !(value >= Character.MIN_SURROGATE && value <= Character.MAX_SURROGATE);
    }

    private static String stripLeadingZeros(String nibbles) {
        int start = 0;
        while (start < nibbles.length() && nibbles.charAt(start) == '0') {
            start++;
        }
        return nibbles.substring(start);
    }
}
