package dev.relib.engine.loader;

import dev.relib.engine.model.FileIdentity;
import dev.relib.engine.process.LibcBinding;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    /** must match: glibc {@code <link.h>} struct link_map's public head, and {@code <elf.h>} Elf64_Dyn */
    private static final long LINK_MAP_ADDR = 0;
    private static final long LINK_MAP_NAME = 8;
    private static final long LINK_MAP_LD = 16;
    private static final long LINK_MAP_NEXT = 24;
    private static final long DYN_SIZE = 16;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;

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
        this.dl = LibcBinding.load(LibDl.class);
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

    /**
     * Whether an object opened by exactly this path is in the dynamic linker's list. Unlike
     * {@link #isOpen}, which opens the file when no name matches, this only reads memory: the
     * proof after {@code dlclose} that glibc let the object go.
     */
    public boolean isListed(Path path) {
        byte[] wanted = nulTerminated(path.toString());
        for (Pointer map = programLinkMap(); map != null && map.address() != 0; map = map.getPointer(LINK_MAP_NEXT)) {
            if (bytesEqual(map.getPointer(LINK_MAP_NAME), 0, wanted)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an object in the dynamic linker's list is the file with this device and inode, under
     * whatever name it was opened: glibc shares one link map per such file, so dlopen of it would
     * hand back that object. Reads memory and stats the few dozen listed files, where reading
     * /proc/self/maps took a quarter of a script's every load.
     */
    public boolean listsFile(FileIdentity identity) {
        for (Pointer map = programLinkMap(); map != null && map.address() != 0; map = map.getPointer(LINK_MAP_NEXT)) {
            Pointer name = map.getPointer(LINK_MAP_NAME);
            String path = name == null || name.address() == 0 ? "" : name.getString(0);
            if (path.startsWith("/")) {
                try {
                    if (FileIdentities.of(Path.of(path)).equals(identity)) {
                        return true;
                    }
                } catch (UncheckedIOException e) {
                    // A listed file deleted or renamed since it was opened is not the file asked about.
                }
            }
        }
        return false;
    }

    /**
     * The paths of listed objects (the program first, as "") whose mapped dynamic section names
     * {@code fileName} in {@code DT_NEEDED}: what glibc itself consults to keep an object loaded,
     * read from memory in microseconds where parsing /proc/self/maps and each file took a millisecond.
     */
    public List<String> objectsNeeding(String fileName) {
        byte[] wanted = nulTerminated(fileName);
        List<String> found = new ArrayList<>();
        for (Pointer map = programLinkMap(); map != null && map.address() != 0; map = map.getPointer(LINK_MAP_NEXT)) {
            if (needs(map.getLong(LINK_MAP_ADDR), map.getPointer(LINK_MAP_LD), wanted)) {
                Pointer name = map.getPointer(LINK_MAP_NAME);
                found.add(name == null || name.address() == 0 ? "" : name.getString(0));
            }
        }
        return found;
    }

    /** The head of the base namespace's list; the program's link map lives as long as the process. */
    private Pointer programLinkMap() {
        Pointer program = dl.dlopen(null, RTLD_NOW);
        if (program == null) {
            throw new IllegalStateException("dlopen(NULL) failed: " + dl.dlerror());
        }
        try {
            Pointer out = runtime.getMemoryManager().allocateTemporary(8, true);
            if (dl.dlinfo(program, RTLD_DI_LINKMAP, out) != 0) {
                throw new IllegalStateException("dlinfo(RTLD_DI_LINKMAP) failed: " + dl.dlerror());
            }
            return out.getPointer(0);
        } finally {
            dl.dlclose(program);
        }
    }

    /** Whether a mapped dynamic array has DT_NEEDED {@code wanted}; glibc has made DT_STRTAB absolute unless read-only. */
    private static boolean needs(long loadBias, Pointer dynamic, byte[] wanted) {
        if (dynamic == null || dynamic.address() == 0) {
            return false;
        }
        long strtab = 0;
        List<Long> offsets = new ArrayList<>();
        for (long at = 0; ; at += DYN_SIZE) {
            long tag = dynamic.getLong(at);
            if (tag == DT_NULL) {
                break;
            }
            if (tag == DT_NEEDED) {
                offsets.add(dynamic.getLong(at + 8));
            } else if (tag == DT_STRTAB) {
                strtab = dynamic.getLong(at + 8);
            }
        }
        if (strtab == 0) {
            return false;
        }
        if (Long.compareUnsigned(strtab, loadBias) < 0) {
            strtab += loadBias;
        }
        Pointer strings = Pointer.wrap(dynamic.getRuntime(), strtab);
        for (long offset : offsets) {
            if (bytesEqual(strings, offset, wanted)) {
                return true;
            }
        }
        return false;
    }

    private static boolean bytesEqual(Pointer memory, long offset, byte[] wanted) {
        if (memory == null || memory.address() == 0) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (memory.getByte(offset + i) != wanted[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] nulTerminated(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(bytes, bytes.length + 1);
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
