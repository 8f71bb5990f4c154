package dev.relib.engine.process;

import jnr.ffi.Pointer;

/**
 * C's {@code stdout}, which modules print through: on a pipe (the worker's, or a script's) stdio
 * buffers it fully, so a module's lines would arrive in blocks, after the lines it wrote to stderr
 * (unbuffered) in between. Line-buffered, as on a terminal, each line goes out when printed.
 */
public final class CStdout {

    /** must match: glibc {@code <stdio.h>} */
    private static final int IOLBF = 1;

    /** The binding; libc is never unloaded, so JNR's loader is fine here. */
    public interface Libc {
        int setvbuf(Pointer stream, Pointer buffer, int mode, long size);

        Pointer dlsym(Pointer handle, String symbol);
    }

    private CStdout() {
    }

    /** Makes C's {@code stdout} line-buffered; best effort (nothing changes where libc has no such variable). */
    public static void lineBuffered() {
        Libc libc = LibcBinding.load(Libc.class);
        // dlsym with a null handle (RTLD_DEFAULT) finds libc's variable "stdout", a FILE *.
        Pointer variable = libc.dlsym(null, "stdout");
        if (variable != null) {
            libc.setvbuf(variable.getPointer(0), null, IOLBF, 0);
        }
    }
}
