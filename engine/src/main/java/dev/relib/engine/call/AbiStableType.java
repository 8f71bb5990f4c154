package dev.relib.engine.call;

/**
 * abi_stable 0.11's FFI-safe standard types, as relib users write them in their interfaces:
 * {@code RStr}, {@code RString}, {@code RVec<T>}, {@code RSlice<T>}, {@code ROption<T>}. Only
 * relib modules pass and return these (through their success-flag convention, boxed on return);
 * their layouts are in {@code RELIB-PROTOCOL.md} and the codec is {@code engine.relib.call.AbiStableCodec}.
 *
 * @param kind    which type
 * @param element the element type of {@code RVec}, {@code RSlice} and {@code ROption}; null for
 *                {@code RStr} and {@code RString}
 */
public record AbiStableType(Kind kind, ValueType element) implements ValueType {

    public enum Kind {
        RSTR("RStr", false), RSTRING("RString", false), RVEC("RVec", true), RSLICE("RSlice", true),
        ROPTION("ROption", true);

        private final String text;
        private final boolean generic;

        Kind(String text, boolean generic) {
            this.text = text;
            this.generic = generic;
        }

        public String text() {
            return text;
        }

        public boolean generic() {
            return generic;
        }

        /** The kind spelled {@code name}, or null. */
        static Kind named(String name) {
            for (Kind kind : values()) {
                if (kind.text.equals(name)) {
                    return kind;
                }
            }
            return null;
        }
    }

    public AbiStableType {
        if (kind.generic() != (element != null)) {
            throw new IllegalArgumentException(kind.text() + (kind.generic() ? " needs" : " takes no") + " element type");
        }
    }

    @Override
    public String text() {
        return element == null ? kind.text() : kind.text() + "<" + element.text() + ">";
    }

    /** What an element may be: a scalar other than {@code ()}, or another abi_stable type. */
    static boolean isElement(ValueType type) {
        return type instanceof AbiStableType || type instanceof Scalar scalar && scalar != Scalar.UNIT;
    }
}
