package dev.relib.engine.call;

import java.math.BigInteger;

/**
 * A parameter or return type that the invoker can pass or read, as parsed from Rust syntax. Every
 * type has one canonical spelling, {@link #text()}, used in canonical signatures and messages.
 */
public sealed interface ValueType
        permits ValueType.Scalar, ValueType.Pointer, ValueType.CString, ValueType.FatPointer,
        ValueType.OptionRef, ValueType.Owned, ValueType.Struct, ValueType.StructPointer {

    /** Canonical Rust spelling: {@code u64}, {@code *const c_char}, {@code &str}, {@code Option<&u32>}. */
    String text();

    /** How many native arguments a parameter of this type becomes: 2 for a (pointer, length) pair, else 1. */
    default int nativeSlots() {
        return 1;
    }

    /** Values passed in one register: unit (return only), bool, integers, floats, char. */
    enum Scalar implements ValueType {
        UNIT("()", 0, false),
        BOOL("bool", 8, false),
        I8("i8", 8, true),
        I16("i16", 16, true),
        I32("i32", 32, true),
        I64("i64", 64, true),
        ISIZE("isize", 64, true),
        U8("u8", 8, false),
        U16("u16", 16, false),
        U32("u32", 32, false),
        U64("u64", 64, false),
        USIZE("usize", 64, false),
        F32("f32", 32, false),
        F64("f64", 64, false),
        CHAR("char", 32, false);

        private final String text;
        private final int bits;
        private final boolean signed;

        Scalar(String text, int bits, boolean signed) {
            this.text = text;
            this.bits = bits;
            this.signed = signed;
        }

        @Override
        public String text() {
            return text;
        }

        public int bits() {
            return bits;
        }

        public boolean isInteger() {
            return this != UNIT && this != BOOL && this != F32 && this != F64 && this != CHAR;
        }

        public boolean isFloat() {
            return this == F32 || this == F64;
        }

        public boolean isSigned() {
            return signed;
        }

        /** Smallest value of an integer type. */
        public BigInteger min() {
            return signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
        }

        /** Largest value of an integer type. */
        public BigInteger max() {
            return BigInteger.ONE.shiftLeft(signed ? bits - 1 : bits).subtract(BigInteger.ONE);
        }
    }

    /** How a thin pointer is spelled. References must not be null; raw pointers may be. */
    enum PointerKind {
        CONST("*const "), MUT("*mut "), REF("&"), REF_MUT("&mut ");

        private final String prefix;

        PointerKind(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }

        public boolean nullable() {
            return this == CONST || this == MUT;
        }
    }

    /** An address: {@code *const T}, {@code *mut T}, {@code &T}, {@code &mut T} for any sized T. */
    record Pointer(PointerKind kind, String pointee) implements ValueType {
        @Override
        public String text() {
            return kind.prefix() + pointee;
        }
    }

    /** {@code *const c_char} (also written {@code *const i8}): a NUL-terminated string in and out. */
    record CString(boolean mutable) implements ValueType {
        @Override
        public String text() {
            return mutable ? "*mut c_char" : "*const c_char";
        }
    }

    /** A (pointer, length) pair: {@code &str}, {@code &[u8]}, {@code &mut [u8]}. */
    enum FatPointer implements ValueType {
        STR("&str"), BYTES("&[u8]"), BYTES_MUT("&mut [u8]");

        private final String text;

        FatPointer(String text) {
            this.text = text;
        }

        @Override
        public String text() {
            return text;
        }

        @Override
        public int nativeSlots() {
            return 2;
        }
    }

    /** {@code Option<&T>} / {@code Option<&mut T>}: a pointer that may be null (None). */
    record OptionRef(boolean mutable, String pointee) implements ValueType {
        @Override
        public String text() {
            return "Option<&" + (mutable ? "mut " : "") + pointee + ">";
        }
    }

    /**
     * Owned values an SDK module returns as a {@code #[repr(C)]} (ptr, len, cap) triple, to be
     * freed by the module's {@code relib_sdk_free}. Return type only.
     */
    enum Owned implements ValueType {
        STRING("String"), BYTES("Vec<u8>");

        private final String text;

        Owned(String text) {
            this.text = text;
        }

        @Override
        public String text() {
            return text;
        }
    }

    /** A declared {@code #[repr(C)]} struct passed or returned by value (x86-64 SysV classification by libffi). */
    record Struct(StructLayout layout) implements ValueType {
        @Override
        public String text() {
            return layout.name();
        }
    }

    /**
     * A thin pointer to a declared struct: takes an address, or a struct literal whose bytes are
     * passed by pointer ({@code {x: 1.5, y: 2}}).
     */
    record StructPointer(PointerKind kind, StructLayout layout) implements ValueType {
        @Override
        public String text() {
            return kind.prefix() + layout.name();
        }
    }
}
