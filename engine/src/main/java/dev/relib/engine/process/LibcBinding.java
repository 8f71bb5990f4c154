package dev.relib.engine.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jnr.ffi.LibraryLoader;

/**
 * JNR bindings to libc, loaded by the file's path. Given the name {@code "c"}, JNR lists every
 * library directory and reads {@code /etc/ld.so.conf} to find it, for each binding: seven bindings
 * made a tenth of the worker's start. libc is never unloaded, so JNR's loader is fine for it.
 */
public final class LibcBinding {

    /** Where Debian-style, Fedora-style and plain multilib systems keep x86-64 glibc. */
    private static final List<String> CANDIDATES = List.of("/lib/x86_64-linux-gnu/libc.so.6",
            "/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib64/libc.so.6", "/usr/lib64/libc.so.6");
    private static final String LIBRARY = CANDIDATES.stream().filter(path -> Files.isRegularFile(Path.of(path)))
            .findFirst().orElse("c");

    private LibcBinding() {
    }

    /** The binding {@code type} to this process's libc. */
    public static <T> T load(Class<T> type) {
        return LibraryLoader.create(type).load(LIBRARY);
    }
}
