package dev.relib.engine.worker.wire;

/** A cursor over one line of JSON; each mistake names what was expected and where. */
final class JsonReader {

    private final String text;
    private int at;

    JsonReader(String text) {
        this.text = text;
    }

    /** The next character that is not white space, not consumed; 0 at the end. */
    char peek() {
        skipSpace();
        return at < text.length() ? text.charAt(at) : 0;
    }

    void expect(char c) {
        if (peek() != c) {
            throw mistake("'" + c + "'");
        }
        at++;
    }

    /** Consumes {@code c} when it comes next. */
    boolean consume(char c) {
        if (peek() == c) {
            at++;
            return true;
        }
        return false;
    }

    /** Consumes {@code null} when it comes next. */
    boolean consumeNull() {
        if (peek() == 'n' && text.startsWith("null", at)) {
            at += 4;
            return true;
        }
        return false;
    }

    void expectEnd() {
        if (peek() != 0) {
            throw mistake("the end of the line");
        }
    }

    boolean bool() {
        if (peek() == 't' && text.startsWith("true", at)) {
            at += 4;
            return true;
        }
        if (peek() == 'f' && text.startsWith("false", at)) {
            at += 5;
            return false;
        }
        throw mistake("true or false");
    }

    long number() {
        skipSpace();
        int start = at;
        if (at < text.length() && text.charAt(at) == '-') {
            at++;
        }
        while (at < text.length() && Character.isDigit(text.charAt(at))) {
            at++;
        }
        try {
            return Long.parseLong(text, start, at, 10);
        } catch (NumberFormatException e) {
            at = start;
            throw mistake("an integer");
        }
    }

    String string() {
        expect('"');
        StringBuilder escaped = null;
        int plainFrom = at;
        while (true) {
            if (at >= text.length()) {
                throw mistake("the end of a string");
            }
            char c = text.charAt(at);
            if (c == '"') {
                String tail = text.substring(plainFrom, at++);
                return escaped == null ? tail : escaped.append(tail).toString();
            }
            if (c != '\\') {
                at++;
                continue;
            }
            if (escaped == null) {
                escaped = new StringBuilder();
            }
            escaped.append(text, plainFrom, at);
            escaped.append(unescape());
            plainFrom = at;
        }
    }

    /** The character of the escape at the cursor (a backslash), which it passes. */
    private char unescape() {
        if (at + 1 >= text.length()) {
            throw mistake("an escape");
        }
        char kind = text.charAt(at + 1);
        at += 2;
        return switch (kind) {
            case '"', '\\', '/' -> kind;
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'u' -> {
                if (at + 4 > text.length()) {
                    throw mistake("four hex digits");
                }
                try {
                    char c = (char) Integer.parseInt(text, at, at + 4, 16);
                    at += 4;
                    yield c;
                } catch (NumberFormatException e) {
                    throw mistake("four hex digits");
                }
            }
            default -> {
                at -= 2;
                throw mistake("an escape");
            }
        };
    }

    /** Passes the value at the cursor, whatever it is; its text. */
    String skipValue() {
        skipSpace();
        int start = at;
        switch (peek()) {
            case '"' -> string();
            case '{' -> {
                at++;
                if (!consume('}')) {
                    do {
                        string();
                        expect(':');
                        skipValue();
                    } while (consume(','));
                    expect('}');
                }
            }
            case '[' -> {
                at++;
                if (!consume(']')) {
                    do {
                        skipValue();
                    } while (consume(','));
                    expect(']');
                }
            }
            case 't', 'f' -> bool();
            case 'n' -> {
                if (!consumeNull()) {
                    throw mistake("a value");
                }
            }
            default -> {
                while (at < text.length() && "+-.eE0123456789".indexOf(text.charAt(at)) >= 0) {
                    at++;
                }
                if (at == start) {
                    throw mistake("a value");
                }
            }
        }
        return text.substring(start, at);
    }

    WireFormatException mistake(String expected) {
        String near = text.substring(at, Math.min(text.length(), at + 24));
        return new WireFormatException("expected " + expected + " at column " + (at + 1)
                + (near.isEmpty() ? " (the end)" : " (at \"" + near + "\")"));
    }

    private void skipSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            at++;
        }
    }
}
