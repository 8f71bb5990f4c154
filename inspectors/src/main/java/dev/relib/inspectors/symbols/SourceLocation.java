package dev.relib.inspectors.symbols;

/**
 * A place in the source, as a line table gives it.
 *
 * @param file   the path joined with its directory (absolute when the compiler recorded one)
 * @param line   1-based; 0 when the compiler attributes the code to no line
 * @param column 1-based; 0 when unknown
 */
public record SourceLocation(String file, int line, int column) {

    @Override
    public String toString() {
        return line == 0 ? file : file + ":" + line;
    }
}
