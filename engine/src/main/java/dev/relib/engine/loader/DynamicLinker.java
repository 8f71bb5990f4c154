package dev.relib.engine.loader;

import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * libc's {@code dlopen}/{@code dlsym}/{@code dlclose}, called directly. Never JNR's
 * {@code LibraryLoader} for modules: it opens {@code RTLD_GLOBAL} through a cache and never closes.
 * {@code dlerror()} is per thread, so call every method on the thread that made the failing call
 * (the engine's owner thread).
 */
public final class DynamicLinker {

    /** must match: glibc {@code <dlfcn.h>} */
    private static final int RTLD_LAZY = 0x00001;
    private static final int RTLD_NOW = 0x00002;
    private static final int RTLD_DEEPBIND = 0x00008;
    private static final int RTLD_LOCAL = 0;
    private static final int RTLD_NOLOAD = 0x00004;
    private static final int RTLD_DI_LINKMAP = 2;

    /** The libc functions, bound once; libc itself is never unloaded, so JNR's loader is fine here. */
    public interface LibDl {
        Pointer dlopen(String file, int mode);

        int dlclose(Pointer handle);

        Pointer dlsym(Pointer handle, String symbol);

        String dlerror();

        int dlinfo(Pointer handle, int request, Pointer out);
    }

    private final LibDl dl;
    private final Runtime runtime;

    public DynamicLinker() {
        this.dl = LibraryLoader.create(LibDl.class).load("c");
        this.runtime = Runtime.getRuntime(dl);
    }

    /**
     * {@code dlopen(path, RTLD_NOW | RTLD_LOCAL)}.
     *
     * @return the handle as an address
     * @throws DlopenException with {@code dlerror()}'s text
     */
    public long open(Path path) {
        dl.dlerror();
        Pointer handle = dl.dlopen(path.toString(), RTLD_NOW | RTLD_LOCAL);
        if (handle == null) {
            throw new DlopenException(String.valueOf(dl.dlerror()));
        }
        return handle.address();
    }

    /**
     * {@code dlopen(path, RTLD_LAZY | RTLD_LOCAL | RTLD_DEEPBIND)}: relib_host's flags. DEEPBIND makes
     * a relib module's own {@code pthread_create}, {@code mmap64}, {@code munmap}, pthread key and
     * {@code __cxa_thread_atexit_impl} hooks win over libc for its own references.
     */
    public long openRelib(Path path) {
        dl.dlerror();
        Pointer handle = dl.dlopen(path.toString(), RTLD_LAZY | RTLD_LOCAL | RTLD_DEEPBIND);
        if (handle == null) {
            throw new DlopenException(String.valueOf(dl.dlerror()));
        }
        return handle.address();
    }

    /** Whether an object of this exact path is open, without opening it ({@code RTLD_NOLOAD}). */
    public boolean isOpen(Path path) {
        Pointer handle = dl.dlopen(path.toString(), RTLD_NOW | RTLD_NOLOAD);
        if (handle == null) {
            dl.dlerror();
            return false;
        }
        dl.dlclose(handle);
        return true;
    }

    /** {@code dlclose}; null on success, else {@code dlerror()}'s text. */
    public String close(long handle) {
        dl.dlerror();
        return dl.dlclose(pointer(handle)) == 0 ? null : String.valueOf(dl.dlerror());
    }

    /** The symbol's address, or 0 when the object does not define it. */
    public long symbol(long handle, String name) {
        dl.dlerror();
        Pointer address = dl.dlsym(pointer(handle), name);
        return address == null ? 0 : address.address();
    }

    /** The object's load bias ({@code link_map.l_addr}): add it to a symbol's {@code st_value}. */
    public long loadBias(long handle) {
        Pointer out = runtime.getMemoryManager().allocateTemporary(8, true);
        if (dl.dlinfo(pointer(handle), RTLD_DI_LINKMAP, out) != 0) {
            throw new IllegalStateException("dlinfo(RTLD_DI_LINKMAP) failed: " + dl.dlerror());
        }
        Pointer linkMap = out.getPointer(0);
        return linkMap.getLong(0);
    }

    private Pointer pointer(long address) {
        return Pointer.wrap(runtime, address);
    }

    /** dlopen failed; the message is {@code dlerror()}'s text. */
    public static final class DlopenException extends RuntimeException {
        public DlopenException(String dlerror) {
            super(dlerror);
        }
    }
}
