package dev.relib.inspectors.demangle;

import java.util.Optional;

/**
 * The Punycode decoder of RFC 3492, as Rust's v0 mangling uses it for non-ASCII identifiers: the
 * basic (ASCII) code points come separately, and the deltas use {@code a-z0-9}.
 */
final class Punycode {

    private static final int BASE = 36;
    private static final int T_MIN = 1;
    private static final int T_MAX = 26;
    private static final int SKEW = 38;
    private static final int INITIAL_DAMP = 700;
    private static final int INITIAL_BIAS = 72;
    private static final int INITIAL_N = 0x80;

    private Punycode() {
    }

    /**
     * Decodes {@code deltas} inserted into {@code basic}; empty when the encoding is invalid
     * (a bad digit, an overflow, or a result that is not a Unicode scalar value).
     */
    static Optional<String> decode(String basic, String deltas) {
        if (deltas.isEmpty()) {
            return Optional.empty();
        }
        int[] out = new int[basic.length() + deltas.length()];
        int len = 0;
        for (int k = 0; k < basic.length(); k++) {
            out[len++] = basic.charAt(k);
        }
        long bias = INITIAL_BIAS;
        long damp = INITIAL_DAMP;
        long i = 0;
        long n = INITIAL_N;
        int pos = 0;
        try {
            while (true) {
                long delta = 0;
                long w = 1;
                for (long k = BASE; ; k += BASE) {
                    if (pos >= deltas.length()) {
                        return Optional.empty();
                    }
                    int d = digit(deltas.charAt(pos++));
                    if (d < 0) {
                        return Optional.empty();
                    }
                    long t = Math.min(Math.max(k - bias, T_MIN), T_MAX);
                    delta = Math.addExact(delta, Math.multiplyExact(d, w));
                    if (d < t) {
                        break;
                    }
                    w = Math.multiplyExact(w, BASE - t);
                }
                len++;
                i = Math.addExact(i, delta);
                n = Math.addExact(n, i / len);
                i %= len;
                if (n > Character.MAX_CODE_POINT || (n >= Character.MIN_SURROGATE && n <= Character.MAX_SURROGATE)) {
                    return Optional.empty();
                }
                // Each delta adds one code point, so out never needs to grow past basic + deltas.
                System.arraycopy(out, (int) i, out, (int) i + 1, len - 1 - (int) i);
                out[(int) i] = (int) n;
                i++;
                if (pos == deltas.length()) {
                    return Optional.of(new String(out, 0, len));
                }
                delta /= damp;
                damp = 2;
                delta += delta / len;
                long k = 0;
                while (delta > ((BASE - T_MIN) * T_MAX) / 2) {
                    delta /= BASE - T_MIN;
                    k += BASE;
                }
                bias = k + ((BASE - T_MIN + 1) * delta) / (delta + SKEW);
            }
        } catch (ArithmeticException overflow) {
            return Optional.empty();
        }
    }

    private static int digit(char c) {
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        if (c >= '0' && c <= '9') {
            return 26 + (c - '0');
        }
        return -1;
    }
}
