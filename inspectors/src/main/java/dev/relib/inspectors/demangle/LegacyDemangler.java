package dev.relib.inspectors.demangle;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rust's legacy mangling: {@code _ZN} (or {@code ZN}, {@code __ZN}), length-prefixed path
 * segments, {@code E}. Segments carry {@code $..$} escapes and {@code ..} for {@code ::}; the last
 * segment is usually the hash {@code h0123456789abcdef}.
 */
final class LegacyDemangler {

    private static final String[] PREFIXES = {"_ZN", "ZN", "__ZN"};

    private LegacyDemangler() {
    }

    static Optional<Demangling> demangle(String symbol, boolean keepHash) {
        String inner = null;
        for (String prefix : PREFIXES) {
            if (symbol.startsWith(prefix)) {
                inner = symbol.substring(prefix.length());
                break;
            }
        }
        if (inner == null || !isAscii(inner)) {
            return Optional.empty();
        }
        List<String> segments = new ArrayList<>();
        int pos = 0;
        while (true) {
            if (pos >= inner.length()) {
                return Optional.empty();
            }
            char c = inner.charAt(pos);
            if (c == 'E') {
                pos++;
                break;
            }
            if (!isDigit(c)) {
                return Optional.empty();
            }
            long len = 0;
            while (pos < inner.length() && isDigit(inner.charAt(pos))) {
                len = len * 10 + (inner.charAt(pos) - '0');
                if (len > inner.length()) {
                    return Optional.empty();
                }
                pos++;
            }
            // The terminating E must follow the last segment.
            if (pos + len >= inner.length()) {
                return Optional.empty();
            }
            segments.add(inner.substring(pos, pos + (int) len));
            pos += (int) len;
        }
        return Optional.of(new Demangling(render(segments, keepHash), inner.substring(pos)));
    }

    private static String render(List<String> segments, boolean keepHash) {
        StringBuilder out = new StringBuilder();
        for (int index = 0; index < segments.size(); index++) {
            String segment = segments.get(index);
            if (!keepHash && index == segments.size() - 1 && isHash(segment)) {
                break;
            }
            if (index > 0) {
                out.append("::");
            }
            appendUnescaped(segment.startsWith("_$") ? segment.substring(1) : segment, out);
        }
        return out.toString();
    }

    /** Decodes escapes; at the first one it does not know, the rest is copied as it is. */
    private static void appendUnescaped(String segment, StringBuilder out) {
        int pos = 0;
        while (pos < segment.length()) {
            char c = segment.charAt(pos);
            if (c == '.') {
                boolean pathSeparator = pos + 1 < segment.length() && segment.charAt(pos + 1) == '.';
                out.append(pathSeparator ? "::" : ".");
                pos += pathSeparator ? 2 : 1;
            } else if (c == '$') {
                int end = segment.indexOf('$', pos + 1);
                int decoded = end < 0 ? -1 : unescape(segment.substring(pos + 1, end));
                if (decoded < 0) {
                    break;
                }
                out.appendCodePoint(decoded);
                pos = end + 1;
            } else {
                int next = pos;
                while (next < segment.length() && segment.charAt(next) != '.' && segment.charAt(next) != '$') {
                    next++;
                }
                out.append(segment, pos, next);
                pos = next;
            }
        }
        out.append(segment, pos, segment.length());
    }

    /** The code point an escape (without its dollars) stands for, or -1. */
    private static int unescape(String escape) {
        switch (escape) {
            case "SP": return '@';
            case "BP": return '*';
            case "RF": return '&';
            case "LT": return '<';
            case "GT": return '>';
            case "LP": return '(';
            case "RP": return ')';
            case "C": return ',';
            default: break;
        }
        if (escape.length() < 2 || escape.charAt(0) != 'u') {
            return -1;
        }
        long value = 0;
        for (int k = 1; k < escape.length(); k++) {
            char c = escape.charAt(k);
            int digit = isDigit(c) ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
            if (value > Character.MAX_CODE_POINT) {
                return -1;
            }
        }
        boolean surrogate = value >= Character.MIN_SURROGATE && value <= Character.MAX_SURROGATE;
        if (surrogate || Character.getType((int) value) == Character.CONTROL) {
            return -1;
        }
        return (int) value;
    }

    private static boolean isHash(String segment) {
        if (!segment.startsWith("h")) {
            return false;
        }
        for (int k = 1; k < segment.length(); k++) {
            if (Character.digit(segment.charAt(k), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAscii(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) > 0x7f) {
                return false;
            }
        }
        return true;
    }
}
