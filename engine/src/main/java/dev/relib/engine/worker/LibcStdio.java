package dev.relib.engine.worker;

import dev.relib.engine.process.LibcBinding;
import jnr.ffi.Pointer;

/** libc's {@code fflush(NULL)}: C modules print through stdio, which buffers fully on a pipe. */
final class LibcStdio {

    /** The binding; libc is never unloaded, so JNR's loader is fine here. */
    public interface Libc {
        int fflush(Pointer stream);
    }

    private final Libc libc;

    private LibcStdio(Libc libc) {
        this.libc = libc;
    }

    static LibcStdio load() {
        return new LibcStdio(LibcBinding.load(Libc.class));
    }

    void flushAll() {
        libc.fflush(null);
    }
}
