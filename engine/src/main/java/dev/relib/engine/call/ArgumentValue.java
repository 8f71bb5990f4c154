package dev.relib.engine.call;

/** One converted argument: raw register bits, or bytes the invoker copies into native memory. */
public sealed interface ArgumentValue {

    /**
     * A value passed in one register: an integer's two's-complement bits, a float's raw bits
     * ({@code f32} in the low 32), a bool as 0/1, a char's code point, an address.
     */
    record Bits(long bits) implements ArgumentValue {
    }

    /**
     * Bytes passed by address: a C string (NUL already appended) or the contents of a
     * {@code &str} / {@code &[u8]} (passed as pointer and length).
     */
    record Bytes(byte[] data) implements ArgumentValue {
        public Bytes {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        int length() {
            return data.length;
        }

        byte[] shared() {
            return data;
        }
    }

    /** A struct passed by value: its bytes, handed to libffi by address, which classifies and copies them. */
    record Aggregate(byte[] data) implements ArgumentValue {
        public Aggregate {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        byte[] shared() {
            return data;
        }
    }
}
