package dev.relib.inspectors.demangle;

import dev.relib.inspectors.demangle.ItaniumNodes.Array;
import dev.relib.inspectors.demangle.ItaniumNodes.Encoding;
import dev.relib.inspectors.demangle.ItaniumNodes.Expansion;
import dev.relib.inspectors.demangle.ItaniumNodes.Function;
import dev.relib.inspectors.demangle.ItaniumNodes.MemberPointer;
import dev.relib.inspectors.demangle.ItaniumNodes.Name;
import dev.relib.inspectors.demangle.ItaniumNodes.Nested;
import dev.relib.inspectors.demangle.ItaniumNodes.Node;
import dev.relib.inspectors.demangle.ItaniumNodes.Pack;
import dev.relib.inspectors.demangle.ItaniumNodes.Pointer;
import dev.relib.inspectors.demangle.ItaniumNodes.Qualified;
import dev.relib.inspectors.demangle.ItaniumNodes.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * C++ names in the Itanium ABI's mangling ({@code _Z...}, what gcc and clang write on Linux),
 * printed as {@code c++filt -i} (and {@code addr2line -C}) print them: {@code std::string}, not its
 * full {@code basic_string<...>}, outside constructor names. The common grammar is read: nested and
 * local names, templates and argument packs, substitutions, operators, constructors and
 * destructors, function, pointer-to-member and array types, literals, ABI tags, lambdas, special
 * names (vtables, typeinfo, thunks, guard variables) and clone suffixes. Anything outside it
 * (expressions in template arguments, decltype, vector types, noexcept function types) is refused:
 * the caller then shows the mangled name rather than a guess.
 */
public final class ItaniumDemangler {

    private static final Map<String, String> OPERATORS = Map.ofEntries(
            Map.entry("nw", "new"), Map.entry("na", "new[]"), Map.entry("dl", "delete"), Map.entry("da", "delete[]"),
            Map.entry("aw", "co_await"), Map.entry("ps", "+"), Map.entry("ng", "-"), Map.entry("ad", "&"),
            Map.entry("de", "*"), Map.entry("co", "~"), Map.entry("pl", "+"), Map.entry("mi", "-"),
            Map.entry("ml", "*"), Map.entry("dv", "/"), Map.entry("rm", "%"), Map.entry("an", "&"),
            Map.entry("or", "|"), Map.entry("eo", "^"), Map.entry("aS", "="), Map.entry("pL", "+="),
            Map.entry("mI", "-="), Map.entry("mL", "*="), Map.entry("dV", "/="), Map.entry("rM", "%="),
            Map.entry("aN", "&="), Map.entry("oR", "|="), Map.entry("eO", "^="), Map.entry("ls", "<<"),
            Map.entry("rs", ">>"), Map.entry("lS", "<<="), Map.entry("rS", ">>="), Map.entry("eq", "=="),
            Map.entry("ne", "!="), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("le", "<="),
            Map.entry("ge", ">="), Map.entry("ss", "<=>"), Map.entry("nt", "!"), Map.entry("aa", "&&"),
            Map.entry("oo", "||"), Map.entry("pp", "++"), Map.entry("mm", "--"), Map.entry("cm", ","),
            Map.entry("pm", "->*"), Map.entry("pt", "->"), Map.entry("cl", "()"), Map.entry("ix", "[]"),
            Map.entry("qu", "?"));
    private static final Map<Character, String> BUILTINS = Map.ofEntries(
            Map.entry('v', "void"), Map.entry('w', "wchar_t"), Map.entry('b', "bool"), Map.entry('c', "char"),
            Map.entry('a', "signed char"), Map.entry('h', "unsigned char"), Map.entry('s', "short"),
            Map.entry('t', "unsigned short"), Map.entry('i', "int"), Map.entry('j', "unsigned int"),
            Map.entry('l', "long"), Map.entry('m', "unsigned long"), Map.entry('x', "long long"),
            Map.entry('y', "unsigned long long"), Map.entry('n', "__int128"), Map.entry('o', "unsigned __int128"),
            Map.entry('f', "float"), Map.entry('d', "double"), Map.entry('e', "long double"),
            Map.entry('g', "__float128"), Map.entry('z', "..."));
    private static final Map<Character, String> D_BUILTINS = Map.of(
            'd', "decimal64", 'e', "decimal128", 'f', "decimal32", 'h', "half", 'i', "char32_t", 's', "char16_t",
            'u', "char8_t", 'a', "auto", 'c', "decltype(auto)", 'n', "decltype(nullptr)");
    /** Literal suffixes c++filt prints after an integer template argument of these types. */
    private static final Map<Character, String> LITERAL_SUFFIXES = Map.of(
            'i', "", 'j', "u", 'l', "l", 'm', "ul", 'x', "ll", 'y', "ull");

    /** A construct this reader does not handle: the name is shown mangled. */
    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    private final String text;
    private int pos;
    private final List<Node> substitutions = new ArrayList<>();
    private List<Node> templateParams;
    private int typeDepth;
    /** What the last name parsed ended with, for the encoding that holds it. */
    private boolean nameIsTemplate;
    private boolean nameIsCtorDtorOrConversion;
    private String nameQualifiers = "";

    private ItaniumDemangler(String text) {
        this.text = text;
    }

    /** The demangled name, or empty when {@code symbol} is not an Itanium name this reader handles. */
    public static Optional<String> demangle(String symbol) {
        if (symbol == null || !symbol.startsWith("_Z") || symbol.length() > 4096) {
            return Optional.empty();
        }
        ItaniumDemangler parser = new ItaniumDemangler(symbol);
        parser.pos = 2;
        try {
            StringBuilder out = new StringBuilder(parser.encoding().print());
            parser.cloneSuffixes(out);
            if (parser.pos != symbol.length()) {
                return Optional.empty();
            }
            return Optional.of(out.toString());
        } catch (Unsupported | IndexOutOfBoundsException | NumberFormatException | StackOverflowError e) {
            return Optional.empty();
        }
    }

    // ---- encodings and special names ----

    private Node encoding() {
        if (peek() == 'T' || peek() == 'G' && "VRTA".indexOf(peekAt(1)) >= 0) {
            return special();
        }
        Node name = name();
        if (pos >= text.length() || peek() == 'E' || peek() == '.') {
            return name;
        }
        boolean template = nameIsTemplate;
        boolean noReturn = nameIsCtorDtorOrConversion;
        String qualifiers = nameQualifiers;
        Node result = template && !noReturn ? type() : null;
        List<Node> params = new ArrayList<>();
        while (pos < text.length() && peek() != 'E' && peek() != '.') {
            params.add(type());
        }
        if (params.isEmpty()) {
            throw new Unsupported();
        }
        if (params.size() == 1 && params.get(0) instanceof Name n && n.text.equals("void")) {
            params.clear();
        }
        return new Encoding(result, name, params, qualifiers);
    }

    private Node special() {
        char first = next();
        char second = next();
        String key = "" + first + second;
        return switch (key) {
            case "TV" -> prefixed("vtable for ", type());
            case "TT" -> prefixed("VTT for ", type());
            case "TI" -> prefixed("typeinfo for ", type());
            case "TS" -> prefixed("typeinfo name for ", type());
            case "TH" -> prefixed("TLS init function for ", name());
            case "TW" -> prefixed("TLS wrapper function for ", name());
            case "Th" -> {
                number();
                expect('_');
                yield prefixed("non-virtual thunk to ", encoding());
            }
            case "Tv" -> {
                number();
                expect('_');
                number();
                expect('_');
                yield prefixed("virtual thunk to ", encoding());
            }
            case "Tc" -> {
                callOffset();
                callOffset();
                yield prefixed("covariant return thunk to ", encoding());
            }
            case "TC" -> {
                Node derived = type();
                number();
                expect('_');
                Node base = type();
                yield new Name("construction vtable for " + base.print() + "-in-" + derived.print());
            }
            case "GV" -> prefixed("guard variable for ", name());
            case "GR" -> {
                Node name = name();
                int index = 0;
                if (peek() != '_') {
                    index = (int) seqId() + 1;
                }
                expect('_');
                yield new Name("reference temporary #" + index + " for " + name.print());
            }
            case "GT" -> {
                char kind = next();
                if (kind != 't' && kind != 'n') {
                    throw new Unsupported();
                }
                yield prefixed(kind == 't' ? "transaction clone for " : "non-transaction clone for ", encoding());
            }
            case "GA" -> prefixed("hidden alias for ", encoding());
            default -> throw new Unsupported();
        };
    }

    private void callOffset() {
        char kind = next();
        number();
        expect('_');
        if (kind == 'v') {
            number();
            expect('_');
        } else if (kind != 'h') {
            throw new Unsupported();
        }
    }

    private static Node prefixed(String words, Node node) {
        return new Name(words + node.print());
    }

    /** {@code .constprop.0}, {@code .isra.0}, {@code .cold}: " [clone .constprop.0]", as c++filt prints them. */
    private void cloneSuffixes(StringBuilder out) {
        while (pos < text.length() && text.charAt(pos) == '.' && pos + 1 < text.length()
                && (Character.isLowerCase(text.charAt(pos + 1)) || text.charAt(pos + 1) == '_'
                || Character.isDigit(text.charAt(pos + 1)))) {
            int start = pos;
            pos++;
            if (Character.isDigit(text.charAt(pos))) {
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
            } else {
                while (pos < text.length() && (Character.isLowerCase(text.charAt(pos)) || text.charAt(pos) == '_')) {
                    pos++;
                }
            }
            while (pos + 1 < text.length() && text.charAt(pos) == '.' && Character.isDigit(text.charAt(pos + 1))) {
                pos++;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
            }
            out.append(" [clone ").append(text, start, pos).append(']');
        }
    }

    // ---- names ----

    private Node name() {
        char c = peek();
        if (c == 'N') {
            return nested();
        }
        if (c == 'Z') {
            return local();
        }
        Node name;
        boolean substituted = false;
        boolean special = false;
        if (c == 'S' && peekAt(1) == 't') {
            pos += 2;
            name = new Nested(new Name("std"), unqualified(null));
            special = nameIsCtorDtorOrConversion;
        } else if (c == 'S') {
            name = substitution(false);
            substituted = true;
        } else {
            name = unqualified(null);
            special = nameIsCtorDtorOrConversion;
        }
        boolean template = false;
        if (pos < text.length() && peek() == 'I') {
            if (!substituted) {
                substitutions.add(name);
            }
            name = new Template(name, templateArgs());
            template = true;
        }
        nameIsTemplate = template;
        nameIsCtorDtorOrConversion = special;
        nameQualifiers = "";
        return name;
    }

    private Node nested() {
        expect('N');
        String qualifiers = cvQualifiers();
        if (peek() == 'R') {
            pos++;
            qualifiers += " &";
        } else if (peek() == 'O') {
            pos++;
            qualifiers += " &&";
        }
        Node current = null;
        boolean template = false;
        boolean special = false;
        while (peek() != 'E') {
            char c = peek();
            if (c == 'S' && peekAt(1) == 't') {
                pos += 2;
                current = new Name("std");
                continue;
            }
            if (c == 'S') {
                if (current != null) {
                    throw new Unsupported();
                }
                current = substitution(true);
                template = false;
                continue;
            }
            if (c == 'I') {
                if (current == null) {
                    throw new Unsupported();
                }
                current = new Template(current, templateArgs()); // a template constructor stays one
                template = true;
            } else if (c == 'T') {
                current = templateParam();
                template = false;
            } else if (c == 'D' && (peekAt(1) == 't' || peekAt(1) == 'T')) {
                throw new Unsupported();
            } else {
                Node part = unqualified(current);
                special = nameIsCtorDtorOrConversion;
                current = current == null ? part : new Nested(current, part);
                template = false;
            }
            if (peek() != 'E') {
                substitutions.add(current);
            }
        }
        pos++;
        nameIsTemplate = template;
        nameIsCtorDtorOrConversion = special;
        nameQualifiers = qualifiers;
        return current;
    }

    private Node local() {
        expect('Z');
        boolean outerTemplate = nameIsTemplate;
        List<Node> outerParams = templateParams;
        Node function = encoding();
        templateParams = outerParams;
        nameIsTemplate = outerTemplate;
        expect('E');
        Node entity;
        if (peek() == 's') {
            pos++;
            entity = new Name("string literal");
            nameIsTemplate = false;
            nameIsCtorDtorOrConversion = false;
            nameQualifiers = "";
        } else if (peek() == 'd') {
            throw new Unsupported();
        } else {
            entity = name();
        }
        discriminator();
        String printedFunction = (function instanceof Encoding e ? e.withoutResult() : function).print();
        return new Nested(new Name(printedFunction), entity);
    }

    private void discriminator() {
        if (pos < text.length() && peek() == '_') {
            pos++;
            if (peek() == '_') {
                pos++;
                number();
                expect('_');
            } else if (Character.isDigit(peek())) {
                pos++;
            } else {
                throw new Unsupported();
            }
        }
    }

    /** A component of a name; {@code scope} is the prefix so far, for constructor and destructor names. */
    private Node unqualified(Node scope) {
        nameIsCtorDtorOrConversion = false;
        char c = peek();
        Node name;
        if (Character.isDigit(c)) {
            name = new Name(sourceName());
        } else if (c == 'L' && Character.isDigit(peekAt(1))) {
            pos++;
            name = new Name(sourceName());
            discriminator();
        } else if (c == 'C' && (Character.isDigit(peekAt(1)) || peekAt(1) == 'I')) {
            pos++;
            if (peek() == 'I') {
                throw new Unsupported();
            }
            pos++;
            name = new Name(ctorName(scope));
            nameIsCtorDtorOrConversion = true;
        } else if (c == 'D' && Character.isDigit(peekAt(1))) {
            pos += 2;
            name = new Name("~" + ctorName(scope));
            nameIsCtorDtorOrConversion = true;
        } else if (c == 'U' && peekAt(1) == 't') {
            pos += 2;
            long n = peek() == '_' ? 0 : number() + 1;
            expect('_');
            name = new Name("{unnamed type#" + (n + 1) + "}");
        } else if (c == 'U' && peekAt(1) == 'l') {
            pos += 2;
            List<Node> params = new ArrayList<>();
            typeDepth++;
            while (peek() != 'E') {
                params.add(type());
            }
            typeDepth--;
            pos++;
            long n = peek() == '_' ? 0 : number() + 1;
            expect('_');
            if (params.size() == 1 && params.get(0) instanceof Name v && v.text.equals("void")) {
                params.clear();
            }
            StringBuilder lambda = new StringBuilder("{lambda(");
            ItaniumNodes.appendList(lambda, params);
            name = new Name(lambda.append(")#").append(n + 1).append('}').toString());
        } else if (Character.isLowerCase(c)) {
            name = operatorName();
        } else {
            throw new Unsupported();
        }
        while (pos < text.length() && peek() == 'B') {
            pos++;
            String tag = sourceName();
            name = new Name(name.print() + "[abi:" + tag + "]");
        }
        return name;
    }

    /** A constructor is named after its class: the prefix's last name, without template arguments. */
    private static String ctorName(Node scope) {
        if (scope == null) {
            throw new Unsupported();
        }
        if (scope instanceof Template t) {
            return ctorName(t.name);
        }
        if (scope instanceof Nested n) {
            return ctorName(n.name);
        }
        String text = scope.print();
        int open = text.indexOf('<');
        String base = open < 0 ? text : text.substring(0, open);
        int abi = base.indexOf("[abi:");
        base = abi < 0 ? base : base.substring(0, abi);
        int colons = base.lastIndexOf("::");
        return colons < 0 ? base : base.substring(colons + 2);
    }

    private Node operatorName() {
        String code = text.substring(pos, pos + 2);
        pos += 2;
        if (code.equals("cv")) {
            typeDepth++;
            Node target = type();
            typeDepth--;
            nameIsCtorDtorOrConversion = true;
            return new Name("operator " + target.print());
        }
        if (code.equals("li")) {
            return new Name("operator\"\" " + sourceName());
        }
        String op = OPERATORS.get(code);
        if (op == null) {
            throw new Unsupported();
        }
        return new Name(Character.isLetter(op.charAt(0)) ? "operator " + op : "operator" + op);
    }

    private String sourceName() {
        int length = (int) number();
        if (length <= 0 || pos + length > text.length()) {
            throw new Unsupported();
        }
        String name = text.substring(pos, pos + length);
        pos += length;
        if (name.startsWith("_GLOBAL_") && name.length() > 10 && "._$".indexOf(name.charAt(8)) >= 0
                && name.charAt(9) == 'N') {
            return "(anonymous namespace)";
        }
        return name;
    }

    // ---- substitutions and template arguments ----

    /** @param inPrefix in a nested name's prefix: {@code Ss} before a constructor is spelled out */
    private Node substitution(boolean inPrefix) {
        expect('S');
        char c = next();
        String std = switch (c) {
            case 'a' -> "std::allocator";
            case 'b' -> "std::basic_string";
            case 's' -> stream(inPrefix, "std::string",
                    "std::basic_string<char, std::char_traits<char>, std::allocator<char> >");
            case 'i' -> stream(inPrefix, "std::istream", "std::basic_istream<char, std::char_traits<char> >");
            case 'o' -> stream(inPrefix, "std::ostream", "std::basic_ostream<char, std::char_traits<char> >");
            case 'd' -> stream(inPrefix, "std::iostream", "std::basic_iostream<char, std::char_traits<char> >");
            default -> null;
        };
        if (std != null) {
            return new Name(std);
        }
        pos--;
        long index = peek() == '_' ? 0 : seqId() + 1;
        expect('_');
        if (index >= substitutions.size()) {
            throw new Unsupported();
        }
        return substitutions.get((int) index);
    }

    /** c++filt spells a standard stream or string out in full where a constructor or destructor follows. */
    private String stream(boolean inPrefix, String simple, String full) {
        return inPrefix && (peek() == 'C' || peek() == 'D') ? full : simple;
    }

    private List<Node> templateArgs() {
        expect('I');
        List<Node> args = new ArrayList<>();
        typeDepth++;
        while (peek() != 'E') {
            args.add(templateArg());
        }
        typeDepth--;
        pos++;
        if (typeDepth == 0) {
            templateParams = args;
        }
        return args;
    }

    private Node templateArg() {
        char c = peek();
        if (c == 'L') {
            return literal();
        }
        if (c == 'X') {
            pos++;
            Node expression = expression();
            expect('E');
            return expression;
        }
        if (c == 'J') {
            pos++;
            List<Node> members = new ArrayList<>();
            while (peek() != 'E') {
                members.add(templateArg());
            }
            pos++;
            return new Pack(members);
        }
        return type();
    }

    /**
     * The expressions template arguments most often hold: a literal, a template parameter, and a
     * static member of a type ({@code sr <type> <name>}: {@code std::__is_scalar<long>::__value},
     * the enable_if conditions of standard headers). Others are refused.
     */
    private Node expression() {
        char c = peek();
        if (c == 'L') {
            return literal();
        }
        if (c == 'T') {
            return templateParam();
        }
        if (c == 's' && peekAt(1) == 'r' && peekAt(2) != 'N') {
            pos += 2;
            Node scope;
            if (Character.isDigit(peek())) {
                // sr <unresolved-qualifier-level>+ E <base-unresolved-name>
                scope = null;
                while (peek() != 'E') {
                    Node level = simpleId();
                    scope = scope == null ? level : new Nested(scope, level);
                }
                pos++;
            } else {
                scope = type();
            }
            return new Nested(scope, simpleId());
        }
        throw new Unsupported();
    }

    /** {@code <source-name> [<template-args>]}. */
    private Node simpleId() {
        if (!Character.isDigit(peek())) {
            throw new Unsupported();
        }
        Node name = new Name(sourceName());
        return peek() == 'I' ? new Template(name, templateArgs()) : name;
    }

    private Node literal() {
        expect('L');
        if (peek() == '_' && peekAt(1) == 'Z') {
            pos += 2;
            List<Node> outer = templateParams;
            Node entity = encoding();
            templateParams = outer;
            expect('E');
            return entity;
        }
        char type = peek();
        Node enumeration = null;
        if (BUILTINS.containsKey(type)) {
            pos++;
        } else {
            enumeration = type(); // an enumerator: (E)2, as c++filt prints it
        }
        boolean negative = peek() == 'n';
        if (negative) {
            pos++;
        }
        int start = pos;
        while (Character.isDigit(peek())) {
            pos++;
        }
        if (start == pos) {
            throw new Unsupported();
        }
        String value = (negative ? "-" : "") + text.substring(start, pos);
        expect('E');
        if (enumeration != null) {
            return new Name("(" + enumeration.print() + ")" + value);
        }
        if (type == 'b') {
            return new Name(value.equals("0") ? "false" : value.equals("1") ? "true" : "(bool)" + value);
        }
        if (LITERAL_SUFFIXES.containsKey(type)) {
            return new Name(value + LITERAL_SUFFIXES.get(type));
        }
        String builtin = BUILTINS.get(type);
        if (builtin == null || type == 'v' || type == 'z' || "fdeg".indexOf(type) >= 0) {
            throw new Unsupported();
        }
        return new Name("(" + builtin + ")" + value);
    }

    private Node templateParam() {
        expect('T');
        long index = peek() == '_' ? 0 : number() + 1;
        expect('_');
        if (templateParams == null || index >= templateParams.size()) {
            throw new Unsupported();
        }
        return templateParams.get((int) index);
    }

    // ---- types ----

    private Node type() {
        typeDepth++;
        try {
            return typeBody();
        } finally {
            typeDepth--;
        }
    }

    private Node typeBody() {
        char c = peek();
        String builtin = BUILTINS.get(c);
        if (builtin != null) {
            pos++;
            return new Name(builtin);
        }
        Node type;
        switch (c) {
            case 'u' -> {
                pos++;
                return new Name(sourceName());
            }
            case 'r', 'V', 'K' -> {
                String qualifiers = cvQualifiers();
                // Qualifiers before a function type are its own (a member function's this): the
                // unqualified function type is no substitution candidate.
                Node inner = peek() == 'F' ? functionType() : type();
                if (inner instanceof Function f) {
                    type = new Function(f.result, f.params, qualifiers + f.qualifiers);
                } else if (inner instanceof Qualified q) {
                    type = new Qualified(q.inner, merged(q.qualifiers, qualifiers)); // const const is const
                } else {
                    type = new Qualified(inner, qualifiers);
                }
            }
            case 'P' -> {
                pos++;
                type = new Pointer(type(), "*");
            }
            case 'R' -> {
                pos++;
                type = new Pointer(type(), "&").resolved();
            }
            case 'O' -> {
                pos++;
                type = new Pointer(type(), "&&").resolved();
            }
            case 'F' -> type = functionType();
            case 'A' -> {
                pos++;
                String dimension = "";
                if (Character.isDigit(peek())) {
                    dimension = Long.toString(number());
                } else if (peek() != '_') {
                    throw new Unsupported();
                }
                expect('_');
                type = new Array(type(), dimension);
            }
            case 'M' -> {
                pos++;
                Node owner = type();
                type = new MemberPointer(owner, type());
            }
            case 'T' -> {
                type = templateParam();
                if (peek() == 'I') {
                    substitutions.add(type);
                    type = new Template(type, templateArgs());
                }
            }
            case 'D' -> {
                pos++;
                char d = next();
                if (d == 'p') {
                    Node pattern = type();
                    return expansion(pattern);
                }
                String name = D_BUILTINS.get(d);
                if (name != null) {
                    return new Name(name);
                }
                if (d == 'F') {
                    long bits = number();
                    expect('_');
                    return new Name("_Float" + bits);
                }
                throw new Unsupported();
            }
            case 'S' -> {
                if (peekAt(1) == 't') {
                    type = name();
                } else {
                    Node sub = substitution(false);
                    if (peek() != 'I') {
                        return sub;
                    }
                    type = new Template(sub, templateArgs());
                }
            }
            case 'N', 'Z' -> type = name();
            default -> {
                if (!Character.isDigit(c)) {
                    throw new Unsupported();
                }
                type = name();
            }
        }
        substitutions.add(type);
        return type;
    }

    /** {@code Dp}: the pattern applied to each member of the pack it names. */
    private Node expansion(Node pattern) {
        Pack pack = packIn(pattern);
        if (pack == null) {
            throw new Unsupported();
        }
        List<Node> members = new ArrayList<>();
        for (Node member : pack.members) {
            members.add(substitute(pattern, pack, member).resolved());
        }
        Node expanded = new Expansion(pattern, new Pack(members));
        substitutions.add(expanded);
        return expanded;
    }

    private static Pack packIn(Node node) {
        if (node instanceof Pack p) {
            return p;
        }
        if (node instanceof Pointer p) {
            return packIn(p.pointee);
        }
        if (node instanceof Qualified q) {
            return packIn(q.inner);
        }
        return null;
    }

    private static Node substitute(Node pattern, Pack pack, Node member) {
        if (pattern == pack) {
            return member;
        }
        if (pattern instanceof Pointer p) {
            return new Pointer(substitute(p.pointee, pack, member), p.symbol);
        }
        if (pattern instanceof Qualified q) {
            return new Qualified(substitute(q.inner, pack, member), q.qualifiers);
        }
        return pattern;
    }

    private Node functionType() {
        expect('F');
        if (peek() == 'Y') {
            pos++;
        }
        Node result = type();
        List<Node> params = new ArrayList<>();
        String reference = "";
        while (peek() != 'E') {
            if ((peek() == 'R' || peek() == 'O') && peekAt(1) == 'E') {
                reference = peek() == 'R' ? " &" : " &&";
                pos++;
                continue;
            }
            params.add(type());
        }
        pos++;
        if (params.size() == 1 && params.get(0) instanceof Name n && n.text.equals("void")) {
            params.clear();
        }
        return new Function(result, params, reference);
    }

    private static String merged(String a, String b) {
        String all = a + b;
        return (all.contains(" const") ? " const" : "") + (all.contains(" volatile") ? " volatile" : "")
                + (all.contains(" restrict") ? " restrict" : "");
    }

    /** {@code r V K} in mangled order, printed as c++filt does: {@code " const volatile restrict"}. */
    private String cvQualifiers() {
        boolean restrict = false;
        boolean isVolatile = false;
        boolean isConst = false;
        if (peek() == 'r') {
            restrict = true;
            pos++;
        }
        if (peek() == 'V') {
            isVolatile = true;
            pos++;
        }
        if (peek() == 'K') {
            isConst = true;
            pos++;
        }
        return (isConst ? " const" : "") + (isVolatile ? " volatile" : "") + (restrict ? " restrict" : "");
    }

    // ---- lexical ----

    private long number() {
        boolean negative = peek() == 'n';
        if (negative) {
            pos++;
        }
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw new Unsupported();
        }
        long value = Long.parseLong(text.substring(start, pos));
        return negative ? -value : value;
    }

    /** A base-36 sequence id (digits and upper-case letters). */
    private long seqId() {
        long value = 0;
        int start = pos;
        while (pos < text.length() && (Character.isDigit(peek()) || Character.isUpperCase(peek()))) {
            char c = next();
            value = value * 36 + (Character.isDigit(c) ? c - '0' : c - 'A' + 10);
        }
        if (start == pos) {
            throw new Unsupported();
        }
        return value;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char peekAt(int ahead) {
        return pos + ahead < text.length() ? text.charAt(pos + ahead) : '\0';
    }

    private char next() {
        if (pos >= text.length()) {
            throw new Unsupported();
        }
        return text.charAt(pos++);
    }

    private void expect(char c) {
        if (next() != c) {
            throw new Unsupported();
        }
    }
}
