package dev.relib.engine.loader;

import com.kenai.jffi.MemoryIO;
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
import jnr.ffi.annotations.In;

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
    private static final long DT_SONAME = 14;

    /** The libc functions, bound once; libc itself is never unloaded, so JNR's loader is fine here. */
    public interface LibDl {
        /** Names NUL-terminated, as bytes: a String was converted at every call (half of an isOpen). */
        Pointer dlopen(@In byte[] file, int mode);

        int dlclose(Pointer handle);

        Pointer dlsym(Pointer handle, @In byte[] symbol);

        String dlerror();

        int dlinfo(Pointer handle, int request, Pointer out);
    }

    /** The link maps and dynamic sections are read in place: glibc's, mapped as long as their object is listed. */
    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private final LibDl dl;
    private final Runtime runtime;
    private volatile long programLinkMap;

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
        Pointer handle = dl.dlopen(nulTerminated(path.toString()), RTLD_NOW | RTLD_LOCAL);
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
        Pointer handle = dl.dlopen(nulTerminated(path.toString()), RTLD_LAZY | RTLD_LOCAL | RTLD_DEEPBIND);
        if (handle == null) {
            throw new DlopenException(String.valueOf(dl.dlerror()));
        }
        return handle.address();
    }

    /** Whether an object of this exact path is open, without opening it ({@code RTLD_NOLOAD}). */
    public boolean isOpen(Path path) {
        Pointer handle = dl.dlopen(nulTerminated(path.toString()), RTLD_NOW | RTLD_NOLOAD);
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
        Pointer address = dl.dlsym(pointer(handle), nulTerminated(name));
        return address == null ? 0 : address.address();
    }

    /** The object's load bias ({@code link_map.l_addr}): add it to a symbol's {@code st_value}. */
    public long loadBias(long handle) {
        return MEMORY.getLong(linkMapOf(handle) + LINK_MAP_ADDR);
    }

    /** The open object's {@code struct link_map}, as {@code dlinfo(RTLD_DI_LINKMAP)} gives it. */
    private long linkMapOf(long handle) {
        Pointer out = runtime.getMemoryManager().allocateTemporary(8, true);
        if (dl.dlinfo(pointer(handle), RTLD_DI_LINKMAP, out) != 0) {
            throw new IllegalStateException("dlinfo(RTLD_DI_LINKMAP) failed: " + dl.dlerror());
        }
        return out.getAddress(0);
    }

    /**
     * Whether an object opened by exactly this path is in the dynamic linker's list. Unlike
     * {@link #isOpen}, which opens the file when no name matches, this only reads memory: the
     * proof after {@code dlclose} that glibc let the object go.
     */
    public boolean isListed(Path path) {
        byte[] wanted = nulTerminated(path.toString());
        for (long map = programLinkMap(); map != 0; map = MEMORY.getAddress(map + LINK_MAP_NEXT)) {
            if (bytesEqual(MEMORY.getAddress(map + LINK_MAP_NAME), wanted)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a listed object answers to the bare name {@code fileName} as {@code dlopen} matches
     * one: its name as opened, or its {@code DT_SONAME}. Reads memory only, where a
     * {@code dlopen(RTLD_NOLOAD)} and {@code dlclose} per name took 5% of a reload. glibc also
     * matches other names an object was asked for by, which are not public, so "no" means "ask
     * {@link #isOpen}" to the caller that must be exact.
     */
    public boolean listsName(String fileName) {
        byte[] wanted = nulTerminated(fileName);
        for (long map = programLinkMap(); map != 0; map = MEMORY.getAddress(map + LINK_MAP_NEXT)) {
            if (bytesEqual(MEMORY.getAddress(map + LINK_MAP_NAME), wanted) || namesIn(MEMORY.getLong(map + LINK_MAP_ADDR),
                    MEMORY.getAddress(map + LINK_MAP_LD), DT_SONAME, wanted)) {
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
        for (long map = programLinkMap(); map != 0; map = MEMORY.getAddress(map + LINK_MAP_NEXT)) {
            String path = string(MEMORY.getAddress(map + LINK_MAP_NAME));
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
        return objectsNeedingFrom(programLinkMap(), fileName);
    }

    /**
     * As {@link #objectsNeeding}, of the objects listed after the open object {@code handle}: glibc
     * lists objects in the order they were loaded and binds an object's {@code DT_NEEDED} when it
     * loads it, so only a later one can need it. A JVM lists some sixty objects before a module.
     */
    public List<String> objectsLoadedAfterNeeding(long handle, String fileName) {
        return objectsNeedingFrom(MEMORY.getAddress(linkMapOf(handle) + LINK_MAP_NEXT), fileName);
    }

    private static List<String> objectsNeedingFrom(long first, String fileName) {
        byte[] wanted = nulTerminated(fileName);
        List<String> found = new ArrayList<>();
        for (long map = first; map != 0; map = MEMORY.getAddress(map + LINK_MAP_NEXT)) {
            if (namesIn(MEMORY.getLong(map + LINK_MAP_ADDR), MEMORY.getAddress(map + LINK_MAP_LD), DT_NEEDED, wanted)) {
                found.add(string(MEMORY.getAddress(map + LINK_MAP_NAME)));
            }
        }
        return found;
    }

    /**
     * The head of the base namespace's list. The program's link map lives as long as the process, so
     * it is looked up once: each look was a dlopen, a dlinfo and a dlclose.
     */
    private long programLinkMap() {
        long head = programLinkMap;
        if (head == 0) {
            Pointer program = dl.dlopen(null, RTLD_NOW);
            if (program == null) {
                throw new IllegalStateException("dlopen(NULL) failed: " + dl.dlerror());
            }
            try {
                head = linkMapOf(program.address());
            } finally {
                dl.dlclose(program);
            }
            programLinkMap = head;
        }
        return head;
    }

    /**
     * Whether a mapped dynamic array has an entry of {@code tag} (DT_NEEDED, DT_SONAME) whose string
     * is {@code wanted}; glibc has made DT_STRTAB absolute unless the section is read-only.
     */
    private static boolean namesIn(long loadBias, long dynamic, long tag, byte[] wanted) {
        if (dynamic == 0) {
            return false;
        }
        long strtab = 0;
        long[] offsets = new long[8];
        int count = 0;
        for (long at = dynamic; ; at += DYN_SIZE) {
            long entryTag = MEMORY.getLong(at);
            if (entryTag == DT_NULL) {
                break;
            }
            if (entryTag == tag) {
                if (count == offsets.length) {
                    offsets = Arrays.copyOf(offsets, count * 2);
                }
                offsets[count++] = MEMORY.getLong(at + 8);
            } else if (entryTag == DT_STRTAB) {
                strtab = MEMORY.getLong(at + 8);
            }
        }
        if (strtab == 0) {
            return false;
        }
        if (Long.compareUnsigned(strtab, loadBias) < 0) {
            strtab += loadBias;
        }
        for (int i = 0; i < count; i++) {
            if (bytesEqual(strtab + offsets[i], wanted)) {
                return true;
            }
        }
        return false;
    }

    private static boolean bytesEqual(long address, byte[] wanted) {
        if (address == 0) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (MEMORY.getByte(address + i) != wanted[i]) {
                return false;
            }
        }
        return true;
    }

    /** The NUL-terminated string at address; "" for a null pointer (the program's own link map). */
    private static String string(long address) {
        if (address == 0) {
            return "";
        }
        int length = 0;
        while (MEMORY.getByte(address + length) != 0) {
            length++;
        }
        byte[] bytes = new byte[length];
        MEMORY.getByteArray(address, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
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
