package dev.relib.engine.relib;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.Type;
import dev.relib.engine.error.LoadError;
import dev.relib.engine.loader.DynamicLinker;
import java.nio.file.Path;
import java.util.List;

/**
 * relib's eight internal exports of one loaded module (RELIB-PROTOCOL.md section 3), resolved once.
 * Plain C functions: no success flag, no boxing. Call on the module owner thread, which is the
 * thread passed to {@code init}.
 */
final class RelibInternals {

    private static final Invoker INVOKER = Invoker.getInstance();
    private static final CallContext VOID_OF_VOID = context(Type.VOID);
    private static final CallContext U64_OF_VOID = context(Type.UINT64);
    private static final CallContext VOID_OF_POINTER_LENGTH = context(Type.VOID, Type.POINTER, Type.UINT64);
    private static final CallContext INIT = context(Type.VOID, Type.UINT64, Type.UINT64, Type.UINT8);

    private final long init;
    private final long exit;
    private final long takeCachedAllocs;
    private final long lockAllocator;
    private final long spawnedThreadsCount;
    private final long runTlsDtors;
    private final long miscCleanup;

    private RelibInternals(long[] addresses) {
        init = addresses[0];
        exit = addresses[1];
        takeCachedAllocs = addresses[2];
        lockAllocator = addresses[3];
        spawnedThreadsCount = addresses[4];
        runTlsDtors = addresses[5];
        miscCleanup = addresses[6];
    }

    /** Resolves all eight, as relib_host does (it panics on a missing one; this refuses the load). */
    static RelibInternals resolve(Path source, DynamicLinker linker, long handle) {
        List<String> names = List.of(RelibSymbols.INIT, RelibSymbols.EXIT, RelibSymbols.TAKE_CACHED_ALLOCS,
                RelibSymbols.LOCK_ALLOCATOR, RelibSymbols.SPAWNED_THREADS_COUNT, RelibSymbols.RUN_TLS_DTORS,
                RelibSymbols.MISC_CLEANUP, RelibSymbols.SET_DEALLOC_CALLBACK);
        long[] addresses = new long[names.size()];
        for (int i = 0; i < names.size(); i++) {
            addresses[i] = linker.symbol(handle, names.get(i));
            if (addresses[i] == 0) {
                throw new LoadError.RelibInternalMissing(source, names.get(i));
            }
        }
        return new RelibInternals(addresses);
    }

    void init(long ownerThread, long moduleId, boolean enableAllocTracker) {
        INVOKER.invokeN3(INIT, init, ownerThread, moduleId, enableAllocTracker ? 1 : 0);
    }

    long spawnedThreadsCount() {
        return INVOKER.invokeN0(U64_OF_VOID, spawnedThreadsCount);
    }

    void lockAllocator() {
        INVOKER.invokeN0(VOID_OF_VOID, lockAllocator);
    }

    void runThreadLocalDestructors() {
        INVOKER.invokeN0(VOID_OF_VOID, runTlsDtors);
    }

    void miscCleanup() {
        INVOKER.invokeN0(VOID_OF_VOID, miscCleanup);
    }

    void takeCachedAllocsBeforeExit() {
        INVOKER.invokeN0(VOID_OF_VOID, takeCachedAllocs);
    }

    /** Frees each of the {@code count} relib Allocations at {@code array} with the module's allocator. */
    void exit(long array, long count) {
        INVOKER.invokeN2(VOID_OF_POINTER_LENGTH, exit, array, count);
    }

    private static CallContext context(Type returns, Type... parameters) {
        return CallContext.getCallContext(returns, parameters, CallingConvention.DEFAULT, false);
    }
}
