package dev.relib.engine.call;

import java.util.List;
import java.util.stream.Collectors;

/** A type as written, before it is resolved to a {@link ValueType}; renders canonically (no lifetimes). */
sealed interface TypeSyntax {

    String render();

    record Unit() implements TypeSyntax {
        @Override
        public String render() {
            return "()";
        }
    }

    record RawPointer(boolean mutable, TypeSyntax target) implements TypeSyntax {
        @Override
        public String render() {
            return (mutable ? "*mut " : "*const ") + target.render();
        }
    }

    record Reference(boolean mutable, TypeSyntax target) implements TypeSyntax {
        @Override
        public String render() {
            return (mutable ? "&mut " : "&") + target.render();
        }
    }

    /** {@code [T]} (length null) or {@code [T; N]}. */
    record Array(TypeSyntax element, String length) implements TypeSyntax {
        @Override
        public String render() {
            return "[" + element.render() + (length == null ? "" : "; " + length) + "]";
        }
    }

    record Path(List<String> segments, List<TypeSyntax> generics) implements TypeSyntax {
        String last() {
            return segments.get(segments.size() - 1);
        }

        @Override
        public String render() {
            String joined = String.join("::", segments);
            return generics.isEmpty() ? joined
                    : joined + generics.stream().map(TypeSyntax::render).collect(Collectors.joining(", ", "<", ">"));
        }
    }
}
