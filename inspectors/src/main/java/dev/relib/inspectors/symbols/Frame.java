package dev.relib.inspectors.symbols;

/**
 * One symbolized address, or one level of it: an address in code that was inlined gives a frame
 * per inlined function (innermost first, each {@link #inlined}) and then the frame of the function
 * they were inlined into, as {@code addr2line -i} and gdb show them.
 *
 * @param object    the mapped file's path, a pseudo name ({@code [vdso]}, {@code [heap]}),
 *                  {@code [anon]} for anonymous memory, or null when nothing was mapped there
 * @param function  the demangled function name, or null when no symbol covers the address
 * @param offset    bytes from the function's start (0 without a function, and in inlined frames)
 * @param file      the source file, or null without line info
 * @param line      the source line; 0 without line info or when the compiler attributes the
 *                  instruction to no line. In a frame that others were inlined into, the line of
 *                  the call they replaced
 * @param column    the source column, 0 when unknown
 * @param debugInfo whether line info for the address was found
 * @param missing   why the function or the source location is absent; null when both are known
 * @param inlined   whether this function was inlined into the next frame (same address)
 */
public record Frame(long address, String object, String function, long offset, String file, int line, int column,
                   boolean debugInfo, String missing, boolean inlined) {

    /** A frame that is not an inlined level. */
    public Frame(long address, String object, String function, long offset, String file, int line, int column,
                 boolean debugInfo, String missing) {
        this(address, object, function, offset, file, line, column, debugInfo, missing, false);
    }

    /** A frame for an address that no mapping holds. */
    static Frame unmapped(long address) {
        return new Frame(address, null, null, 0, null, 0, 0, false, "no mapping holds this address");
    }

    /** This frame with another address (a return address, where the frame was read at the call). */
    Frame at(long newAddress, long newOffset) {
        return new Frame(newAddress, object, function, newOffset, file, line, column, debugInfo, missing, inlined);
    }

    /**
     * {@code 0x7f3a1c2d16d8 count_sheep+0x8 (libsheep.so) at /src/sheep/src/lib.rs:7}; an inlined
     * level reads {@code 0x7f3a1c2d16d8 make_record [inlined] (libcleak.so) at /src/cleak.c:28}.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("0x").append(Long.toHexString(address)).append(' ');
        text.append(function == null ? "??" : function);
        if (inlined) {
            text.append(" [inlined]");
        } else if (function != null && offset != 0) {
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

    /** {@code make_record at /src/cleak.c:28}: the function and where, without address or object. */
    public String location() {
        String name = function == null ? "??" : function;
        if (file == null) {
            return name + " (no line info)";
        }
        return name + " at " + file + (line > 0 ? ":" + line : "");
    }

    private static String shortName(String object) {
        int slash = object.lastIndexOf('/');
        return slash < 0 ? object : object.substring(slash + 1);
    }
}
