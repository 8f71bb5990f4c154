package dev.relib.inspectors.demangle;

import java.util.List;

/**
 * The parts of a demangled C++ name, each printed as binutils' c++filt (libiberty) prints it. Types
 * print in two halves around a declarator ({@link #left}, {@link #right}), so a pointer to a
 * function reads {@code void (*)(int)} and a pointer to an array {@code int (*) [4]}.
 */
final class ItaniumNodes {

    private ItaniumNodes() {
    }

    abstract static class Node {
        void left(StringBuilder out) {
        }

        void right(StringBuilder out) {
        }

        /** Whether this node prints a part after the declarator (functions and arrays do). */
        boolean isFunction() {
            return false;
        }

        boolean isArray() {
            return false;
        }

        /** The node with references collapsed and packs expanded: itself for most. */
        Node resolved() {
            return this;
        }

        final String print() {
            StringBuilder out = new StringBuilder();
            left(out);
            right(out);
            return out.toString();
        }

        @Override
        public String toString() {
            return print();
        }
    }

    /** A name or a builtin type: printed as it is. */
    static final class Name extends Node {
        final String text;

        Name(String text) {
            this.text = text;
        }

        @Override
        void left(StringBuilder out) {
            out.append(text);
        }
    }

    /** {@code prefix::name}. */
    static final class Nested extends Node {
        final Node prefix;
        final Node name;

        Nested(Node prefix, Node name) {
            this.prefix = prefix;
            this.name = name;
        }

        @Override
        void left(StringBuilder out) {
            prefix.left(out);
            out.append("::");
            name.left(out);
        }
    }

    /** {@code name<args>}, with a space before a closing {@code >} that follows another. */
    static final class Template extends Node {
        final Node name;
        final List<Node> args;

        Template(Node name, List<Node> args) {
            this.name = name;
            this.args = args;
        }

        @Override
        void left(StringBuilder out) {
            name.left(out);
            if (out.charAt(out.length() - 1) == '<') {
                out.append(' '); // operator< <int>
            }
            out.append('<');
            boolean separatorDropped = appendList(out, args);
            // c++filt spaces "> >" by the last character it wrote, which is the space of a ", " it
            // took back before an empty pack: then it writes ">>".
            if (out.charAt(out.length() - 1) == '>' && !separatorDropped) {
                out.append(' ');
            }
            out.append('>');
        }
    }

    /** A template argument pack {@code J...E}: its members, separated by commas where printed. */
    static final class Pack extends Node {
        final List<Node> members;

        Pack(List<Node> members) {
            this.members = members;
        }

        @Override
        void left(StringBuilder out) {
            appendList(out, members);
        }
    }

    /** A type with cv-qualifiers: {@code char const}. */
    static final class Qualified extends Node {
        final Node inner;
        final String qualifiers;

        Qualified(Node inner, String qualifiers) {
            this.inner = inner;
            this.qualifiers = qualifiers;
        }

        @Override
        void left(StringBuilder out) {
            inner.left(out);
            out.append(qualifiers);
        }

        @Override
        void right(StringBuilder out) {
            inner.right(out);
        }

        /** {@code char const [4]} is still an array: a reference to it reads {@code char const (&) [4]}. */
        @Override
        boolean isArray() {
            return inner.isArray();
        }
    }

    /** {@code T*}, {@code T&} or {@code T&&}; around a function or array, {@code (*)}. */
    static final class Pointer extends Node {
        final Node pointee;
        final String symbol;

        Pointer(Node pointee, String symbol) {
            this.pointee = pointee;
            this.symbol = symbol;
        }

        @Override
        void left(StringBuilder out) {
            pointee.left(out);
            if (pointee.isArray()) {
                out.append(' ');
            }
            if (pointee.isArray() || pointee.isFunction()) {
                out.append('(');
            }
            out.append(symbol);
        }

        @Override
        void right(StringBuilder out) {
            if (pointee.isArray() || pointee.isFunction()) {
                out.append(')');
            }
            pointee.right(out);
        }

        /** Reference collapsing: {@code T& &&} is {@code T&}, {@code T&& &&} is {@code T&&}. */
        @Override
        Node resolved() {
            Node inner = pointee.resolved();
            if (!symbol.equals("*") && inner instanceof Pointer p && !p.symbol.equals("*")) {
                return symbol.equals("&") || p.symbol.equals("&") ? new Pointer(p.pointee, "&") : p;
            }
            return inner == pointee ? this : new Pointer(inner, symbol);
        }
    }

    /** {@code M}: a pointer to a member of {@code owner}. */
    static final class MemberPointer extends Node {
        final Node owner;
        final Node member;

        MemberPointer(Node owner, Node member) {
            this.owner = owner;
            this.member = member;
        }

        @Override
        void left(StringBuilder out) {
            member.left(out);
            out.append(member.isArray() || member.isFunction() ? "(" : " ");
            owner.left(out);
            owner.right(out);
            out.append("::*");
        }

        @Override
        void right(StringBuilder out) {
            if (member.isArray() || member.isFunction()) {
                out.append(')');
            }
            member.right(out);
        }
    }

    /** A function type: {@code ret (params) const &}. */
    static final class Function extends Node {
        final Node result;
        final List<Node> params;
        final String qualifiers;

        Function(Node result, List<Node> params, String qualifiers) {
            this.result = result;
            this.params = params;
            this.qualifiers = qualifiers;
        }

        @Override
        void left(StringBuilder out) {
            result.left(out);
            // A result that is itself a pointer to a function or array opened a declarator, and
            // this function's parameters go inside it: "T (*(int))(char)".
            if (!opensDeclarator(result)) {
                out.append(' ');
            }
        }

        @Override
        void right(StringBuilder out) {
            out.append('(');
            appendParams(out, params);
            out.append(')');
            out.append(qualifiers);
            result.right(out);
        }

        @Override
        boolean isFunction() {
            return true;
        }
    }

    /** {@code T [N]}. */
    static final class Array extends Node {
        final Node element;
        final String dimension;

        Array(Node element, String dimension) {
            this.element = element;
            this.dimension = dimension;
        }

        @Override
        void left(StringBuilder out) {
            element.left(out);
        }

        @Override
        void right(StringBuilder out) {
            if (out.charAt(out.length() - 1) != ']') {
                out.append(' ');
            }
            out.append('[').append(dimension).append(']');
            element.right(out);
        }

        @Override
        boolean isArray() {
            return true;
        }
    }

    /** {@code Dp}: a pack expansion, printed as the pack's members each with the pattern applied. */
    static final class Expansion extends Node {
        final Node pattern;
        final Pack pack;

        Expansion(Node pattern, Pack pack) {
            this.pattern = pattern;
            this.pack = pack;
        }

        @Override
        void left(StringBuilder out) {
            appendList(out, pack.members);
        }
    }

    /** The whole function: {@code ret name(params) const} (the return type only for templates). */
    static final class Encoding extends Node {
        final Node result;
        final Node name;
        final List<Node> params;
        final String qualifiers;

        Encoding(Node result, Node name, List<Node> params, String qualifiers) {
            this.result = result;
            this.name = name;
            this.params = params;
            this.qualifiers = qualifiers;
        }

        /** As the scope of a local name, c++filt prints the function without its return type. */
        Encoding withoutResult() {
            return new Encoding(null, name, params, qualifiers);
        }

        @Override
        void left(StringBuilder out) {
            if (result != null) {
                result.left(out);
                if (!opensDeclarator(result)) {
                    out.append(' ');
                }
            }
            name.left(out);
            out.append('(');
            appendParams(out, params);
            out.append(')');
            out.append(qualifiers);
            if (result != null) {
                result.right(out);
            }
        }
    }

    static boolean opensDeclarator(Node node) {
        if (node instanceof Qualified q) {
            return opensDeclarator(q.inner);
        }
        return node instanceof Pointer p && (p.pointee.isFunction() || p.pointee.isArray())
                || node instanceof MemberPointer m && (m.member.isFunction() || m.member.isArray());
    }

    /** A parameter list, spaced as c++filt spaces argument lists (see {@link #appendList}). */
    static void appendParams(StringBuilder out, List<Node> params) {
        appendList(out, params);
    }

    /** An empty pack, an expansion of one, or a pack of such. */
    static boolean printsNothing(Node node) {
        if (node instanceof Pack pack) {
            return pack.members.stream().allMatch(ItaniumNodes::printsNothing);
        }
        return node instanceof Expansion e && printsNothing(e.pack);
    }

    /**
     * Comma-separated as c++filt writes argument lists: each element, then ", " and the rest, the
     * ", " taken back when the rest printed nothing (an empty pack): so an empty pack at the end
     * leaves no trace, one in the middle leaves {@code "a, , c"}. Returns whether the last thing done
     * was taking a ", " back (c++filt then sees a space, not a '>', when it closes a template).
     */
    static boolean appendList(StringBuilder out, List<Node> nodes) {
        boolean[] lastWasRemoval = {false};
        if (!nodes.isEmpty()) {
            chain(out, nodes, 0, lastWasRemoval);
        }
        return lastWasRemoval[0];
    }

    private static boolean chain(StringBuilder out, List<Node> nodes, int index, boolean[] lastWasRemoval) {
        int before = out.length();
        Node node = nodes.get(index);
        node.left(out);
        node.right(out);
        boolean printed = out.length() > before;
        if (printed) {
            lastWasRemoval[0] = false;
        }
        if (index + 1 < nodes.size()) {
            int mark = out.length();
            out.append(", ");
            if (chain(out, nodes, index + 1, lastWasRemoval)) {
                printed = true;
            } else {
                out.setLength(mark);
                lastWasRemoval[0] = true;
            }
        }
        return printed;
    }
}
