package dev.relib.shell;

/**
 * Where a command came from: a script file's name (or {@code -c}, or {@code <stdin>}) and its line;
 * {@code source} null for a line typed at the prompt.
 */
public record ScriptLocation(String source, int line) {

    public static ScriptLocation typed() {
        return new ScriptLocation(null, 0);
    }

    @Override
    public String toString() {
        return source == null ? "the prompt" : source + ":" + line;
    }
}
