package dev.relib.engine.relib;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;
import dev.relib.engine.agent.RelibLiveSets;
import dev.relib.engine.error.LoadError;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.model.RelibAllocationStats;
import dev.relib.engine.model.RelibInfo;
import dev.relib.engine.model.RelibInfo.RelibImport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One loaded generation of a relib module, opened as relib_host's {@code load_module} does after
 * dlopen (RELIB-PROTOCOL.md section 1, steps 7 to 10): internal import slots filled with the agent's
 * C functions, an empty live set registered, {@code init} on the owner thread, then every user
 * import slot filled. It then runs relib's unload steps for the pipeline. Confined to the owner thread.
 */
public final class RelibSession {

    private static final Invoker INVOKER = Invoker.getInstance();
    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    private static final CallContext U64_OF_VOID = CallContext.getCallContext(Type.UINT64, new Type[0],
            CallingConvention.DEFAULT, false);
    private static final int RSTR_SIZE = 16;
    private static final int RVEC_SIZE = 32;

    /** What the module's {@code before_unload} did. */
    public enum EntryStatus { NOT_EXPORTED, OK, PANICKED }

    /** What relib's step 7 and 8 handed the module's {@code exit}: its live set. */
    public record ExitedLiveSet(long blocks, long bytes) {
    }

    private final String name;
    private final long handle;
    private final RelibFile file;
    private final DynamicLinker linker;
    private final RelibLiveSets liveSets;
    private long relibId;
    private final boolean forced;
    private final RelibInternals internals;
    private final String compilationInfo;
    private final List<RelibImport> imports = new ArrayList<>();
    private final List<Long> stubFunctions = new ArrayList<>();
    private final List<Long> hostMemory = new ArrayList<>();
    private Boolean allocTracker;
    private boolean liveSetRegistered;

    private RelibSession(String name, long handle, RelibFile file, DynamicLinker linker, RelibLiveSets liveSets,
                         boolean forced, RelibInternals internals, String compilationInfo) {
        this.name = name;
        this.handle = handle;
        this.file = file;
        this.linker = linker;
        this.liveSets = liveSets;
        this.forced = forced;
        this.internals = internals;
        this.compilationInfo = compilationInfo;
    }

    /**
     * Steps 7 to 10 of relib_host's load, on a handle dlopened with {@link DynamicLinker#openRelib}.
     * On failure the caller closes the handle ({@link #dispose} first, when this returned). The
     * module id passed to {@code init} is the agent's, process-wide, as relib_host's is.
     */
    public static RelibSession open(String name, Path source, long handle, RelibFile file, DynamicLinker linker,
                                    RelibLiveSets liveSets, RelibImportStubs stubs, boolean forced) {
        String info = compilationInfoInMemory(source, linker, handle);
        RelibInternals internals = file.hasUnloadingCore() ? RelibInternals.resolve(source, linker, handle) : null;
        RelibSession session = new RelibSession(name, handle, file, linker, liveSets, forced, internals, info);
        try {
            if (internals != null) {
                session.installInternalImports(source);
                internals.init(pthreadSelf(linker), session.relibId, true);
                session.allocTracker = liveSets.stats(session.relibId).initAllocations() > 0;
            }
            session.bindUserImports(source, stubs);
        } catch (RuntimeException e) {
            session.forgetLiveSet();
            session.releaseStubs();
            throw e;
        }
        return session;
    }

    public RelibInfo info() {
        RelibCompilationInfo parsed = RelibCompilationInfo.parse(compilationInfo).orElse(file.compilationInfo());
        return new RelibInfo(parsed.text(), parsed.rustc(), parsed.hostTriple(), parsed.llvm(), parsed.relibVersion(),
                parsed.unloading(), allocTracker, internals == null ? 0 : relibId, file.refusals(), forced, imports);
    }

    /** Built with unloading: relib can unload it. */
    public boolean unloadable() {
        return internals != null;
    }

    public long relibId() {
        return relibId;
    }

    public RelibFile file() {
        return file;
    }

    /** The live set relib's tracker reported, or empty for a module without unloading. */
    public Optional<RelibAllocationStats> allocationStats() {
        return liveSetRegistered ? Optional.of(liveSets.stats(relibId)) : Optional.empty();
    }

    /** The live set's entries as (ptr, size, align) triples, for comparing with the agent's table. */
    public List<long[]> liveAllocations() {
        if (!liveSetRegistered) {
            return List.of();
        }
        ByteBuffer set = liveSets.allocations(relibId);
        List<long[]> entries = new ArrayList<>();
        for (int at = 0; at < set.limit(); at += RelibLiveSets.ALLOCATION_SIZE) {
            entries.add(new long[] {set.getLong(at), set.getLong(at + 8), set.getLong(at + 16)});
        }
        return entries;
    }

    /**
     * relib's live-reload loop calls {@code main} after every load; relib_host's load_module does
     * not, so the shell does it after a reload only (after a first load, the user calls main).
     * Its output and any panic message go to the module's output.
     */
    public EntryStatus runMainAfterReload() {
        long function = linker.symbol(handle, RelibSymbols.MAIN);
        if (function == 0) {
            return EntryStatus.NOT_EXPORTED;
        }
        long post = linker.symbol(handle, RelibSymbols.postOf(RelibSymbols.MAIN));
        return RelibEntry.call(function, post) ? EntryStatus.OK : EntryStatus.PANICKED;
    }

    // ---- relib's unload steps (RELIB-PROTOCOL.md section 5), in order ----

    public EntryStatus beforeUnload() {
        long function = linker.symbol(handle, RelibSymbols.BEFORE_UNLOAD);
        if (function == 0) {
            return EntryStatus.NOT_EXPORTED;
        }
        long post = linker.symbol(handle, RelibSymbols.postOf(RelibSymbols.BEFORE_UNLOAD));
        return RelibEntry.call(function, post) ? EntryStatus.OK : EntryStatus.PANICKED;
    }

    public long spawnedThreadsCount() {
        return internals.spawnedThreadsCount();
    }

    public void lockAllocator() {
        internals.lockAllocator();
    }

    public void runThreadLocalDestructors() {
        internals.runThreadLocalDestructors();
    }

    public void miscCleanup() {
        internals.miscCleanup();
    }

    public void flushCachedAllocations() {
        internals.takeCachedAllocsBeforeExit();
    }

    /** Steps 7 and 8: the host's live set, taken out of the store and handed to the module's exit. */
    public ExitedLiveSet exitWithLiveSet() {
        ByteBuffer set = liveSets.allocations(relibId);
        long count = set.limit() / RelibLiveSets.ALLOCATION_SIZE;
        long bytes = 0;
        for (int at = 0; at < set.limit(); at += RelibLiveSets.ALLOCATION_SIZE) {
            bytes += set.getLong(at + 8);
        }
        forgetLiveSet();
        internals.exit(MEMORY.getDirectBufferAddress(set), count);
        return new ExitedLiveSet(count, bytes);
    }

    /** Once the module's code is gone (or its load was refused): the stubs and their values go. */
    public void dispose() {
        forgetLiveSet();
        releaseStubs();
    }

    private void forgetLiveSet() {
        if (liveSetRegistered) {
            liveSetRegistered = false;
            liveSets.forget(relibId);
        }
    }

    private void releaseStubs() {
        stubFunctions.forEach(liveSets::releaseStub);
        stubFunctions.clear();
        hostMemory.forEach(MEMORY::freeMemory);
        hostMemory.clear();
    }

    private void installInternalImports(Path source) {
        long[] functions = liveSets.internalImports();
        long[] slots = new long[functions.length];
        for (int i = 0; i < functions.length; i++) {
            String slot = RelibSymbols.INTERNAL_IMPORT_SLOTS.get(i);
            slots[i] = linker.symbol(handle, slot);
            if (slots[i] == 0) {
                throw new LoadError.RelibInternalMissing(source, slot);
            }
        }
        relibId = liveSets.register(name);
        liveSetRegistered = true;
        for (int i = 0; i < slots.length; i++) {
            MEMORY.putLong(slots[i], functions[i]);
        }
    }

    private void bindUserImports(Path source, RelibImportStubs stubs) {
        List<String> unbound = stubs.unbound(file);
        if (!unbound.isEmpty()) {
            throw new LoadError.RelibUnboundImports(source, unbound);
        }
        for (String slot : file.importSlots()) {
            String importName = RelibSymbols.relibName(slot);
            RelibImportStubs.Defined stub = stubs.named(importName).orElseThrow();
            boolean boxed = file.boxedImport(slot);
            if (boxed != stub.boxed() && stub.failure() == null) {
                throw new LoadError.RelibUnboundImports(source, List.of(importName + " (the module "
                        + (boxed ? "expects a boxed value; stub it as RStr, RString or RVec<u8>"
                        : "expects an unboxed value; the stub returns " + stub.returnType()) + ")"));
            }
            long slotAddress = linker.symbol(handle, slot);
            long value = stub.boxed() && stub.failure() == null ? boxedValue(stub) : stub.bits();
            long function = liveSets.bindStub(value, stub.failure() == null,
                    importName + ": " + (stub.failure() == null ? "" : stub.failure()));
            stubFunctions.add(function);
            MEMORY.putLong(slotAddress, function);
            if (boxed) {
                long post = linker.symbol(handle, RelibSymbols.postOf(slot));
                MEMORY.putLong(post, liveSets.stubPost());
            }
            imports.add(new RelibImport(importName, slot, boxed, "stub = " + stub.stub().value()));
        }
    }

    /** The stub's value laid out as its abi_stable type in host memory that lives as long as the binding. */
    private long boxedValue(RelibImportStubs.Defined stub) {
        byte[] bytes = stub.bytes();
        long data = MEMORY.allocateMemory(Math.max(bytes.length, 1), false);
        hostMemory.add(data);
        MEMORY.putByteArray(data, bytes, 0, bytes.length);
        boolean vector = !stub.returnType().equals("RStr");
        long value = MEMORY.allocateMemory(vector ? RVEC_SIZE : RSTR_SIZE, true);
        hostMemory.add(value);
        MEMORY.putLong(value, data);
        MEMORY.putLong(value + 8, bytes.length);
        if (vector) {
            // The module's Clone reads buffer and length only; the vtable is never called by it.
            MEMORY.putLong(value + 16, bytes.length);
        }
        return value;
    }

    private static String compilationInfoInMemory(Path source, DynamicLinker linker, long handle) {
        long address = linker.symbol(handle, RelibSymbols.COMPILATION_INFO);
        if (address == 0) {
            throw new LoadError.RelibInfoMalformed(source, source + ": " + RelibSymbols.COMPILATION_INFO
                    + " is not defined once loaded (relib: CouldNotGetCompilationInfo)");
        }
        long pointer = MEMORY.getLong(address);
        long length = MEMORY.getLong(address + 8);
        if (pointer == 0 || length < 0 || length > 4096) {
            throw new LoadError.RelibInfoMalformed(source, source + ": " + RelibSymbols.COMPILATION_INFO
                    + " holds no string once loaded");
        }
        byte[] bytes = new byte[(int) length];
        MEMORY.getByteArray(pointer, bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** relib's owner thread: {@code thread_id::get()} is {@code pthread_self()} on Linux. */
    private static long pthreadSelf(DynamicLinker linker) {
        long function = linker.symbol(0, "pthread_self");
        return INVOKER.invokeN0(U64_OF_VOID, function);
    }
}
