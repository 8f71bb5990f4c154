package dev.relib.inspectors.symbols;

/**
 * One symbolized address.
 *
 * @param object    the mapped file's path, a pseudo name ({@code [vdso]}, {@code [heap]}),
 *                  {@code [anon]} for anonymous memory, or null when nothing was mapped there
 * @param function  the demangled function name, or null when no symbol covers the address
 * @param offset    bytes from the function's start (0 without a function)
 * @param file      the source file, or null without line info
 * @param line      the source line; 0 without line info or when the compiler attributes the
 *                  instruction to no line
 * @param column    the source column, 0 when unknown
 * @param debugInfo whether line info for the address was found
 * @param missing   why the function or the source location is absent; null when both are known
 */
public record Frame(long address, String object, String function, long offset, String file, int line, int column,
                   boolean debugInfo, String missing) {

    /** A frame for an address that no mapping holds. */
    static Frame unmapped(long address) {
        return new Frame(address, null, null, 0, null, 0, 0, false, "no mapping holds this address");
    }

    /** {@code 0x7f3a1c2d16d8 count_sheep+0x8 (libsheep.so) at /src/sheep/src/lib.rs:7}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("0x").append(Long.toHexString(address)).append(' ');
        text.append(function == null ? "??" : function);
        if (function != null && offset != 0) {
            text.append("+0x").append(Long.toHexString(offset));
        }
        text.append(" (").append(object == null ? "unmapped" : shortName(object)).append(')');
        if (file != null) {
            text.append(" at ").append(file);
            if (line > 0) {
                text.append(':').append(line);
            }
        } else if (object != null && function != null) {
            text.append(" (no line info)");
        }
        return text.toString();
    }

    private static String shortName(String object) {
        int slash = object.lastIndexOf('/');
        return slash < 0 ? object : object.substring(slash + 1);
    }
}
