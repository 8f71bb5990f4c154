package dev.relib.engine.sdk;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;
import dev.relib.engine.loader.DynamicLinker;
import java.util.Optional;

/**
 * The entry points every SDK module exports (relib_sdk.h), looked up once with dlsym and called
 * through jffi. Addresses are valid while the module is loaded; call on the module owner thread
 * (importFailed: on the thread running the import).
 */
final class SdkFunctions {

    private static final Invoker INVOKER = Invoker.getInstance();
    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    private static final CallContext POINTER_OF_VOID = context(Type.POINTER);
    private static final CallContext INT_OF_POINTER = context(Type.SINT32, Type.POINTER);
    private static final CallContext INT_OF_VOID = context(Type.SINT32);
    private static final CallContext BOOL_OF_POINTER = context(Type.UINT8, Type.POINTER);
    private static final CallContext VOID_OF_VOID = context(Type.VOID);
    private static final CallContext VOID_OF_POINTER_LENGTH = context(Type.VOID, Type.POINTER, Type.UINT64);
    private static final CallContext VOID_OF_TRIPLE = context(Type.VOID, Type.POINTER, Type.UINT64, Type.UINT64);

    private final long info;
    private final long init;
    private final long main;
    private final long beforeUnload;
    private final long free;
    private final long takePanic;
    private final long panicFree;
    private final long fini;
    private final long importFailed;
    private final long panicCount;

    private SdkFunctions(DynamicLinker linker, long handle) {
        this.info = linker.symbol(handle, "relib_sdk_info");
        this.init = linker.symbol(handle, "relib_sdk_init");
        this.main = linker.symbol(handle, "relib_sdk_main");
        this.beforeUnload = linker.symbol(handle, "relib_sdk_before_unload");
        this.free = linker.symbol(handle, "relib_sdk_free");
        this.takePanic = linker.symbol(handle, "relib_sdk_take_panic");
        this.panicFree = linker.symbol(handle, "relib_sdk_panic_free");
        this.fini = linker.symbol(handle, "relib_sdk_fini");
        this.importFailed = linker.symbol(handle, "relib_sdk_import_failed");
        this.panicCount = linker.symbol(handle, "relib_sdk_panic_count");
    }

    /** Looks every entry point up; names the first required one the module lacks, if any. */
    static SdkFunctions lookUp(DynamicLinker linker, long handle) {
        return new SdkFunctions(linker, handle);
    }

    /**
     * The first entry point needed to call into the module that it does not export. Only
     * relib_sdk_info is needed to read the ABI: a module of another ABI may lack the rest.
     */
    Optional<String> missingEntryPoint() {
        if (init == 0) {
            return Optional.of("relib_sdk_init");
        }
        if (takePanic == 0 || panicFree == 0 || panicCount == 0) {
            return Optional.of("relib_sdk_take_panic, relib_sdk_panic_free or relib_sdk_panic_count");
        }
        if (free == 0 || fini == 0 || importFailed == 0) {
            return Optional.of("relib_sdk_free, relib_sdk_fini or relib_sdk_import_failed");
        }
        return Optional.empty();
    }

    /** Address of the module's static RelibSdkInfo, or 0. */
    long info() {
        return info == 0 ? 0 : INVOKER.invokeN0(POINTER_OF_VOID, info);
    }

    int init(long hostTable) {
        return (int) INVOKER.invokeN1(INT_OF_POINTER, init, hostTable);
    }

    boolean hasMain() {
        return main != 0;
    }

    boolean hasBeforeUnload() {
        return beforeUnload != 0;
    }

    int main() {
        return (int) INVOKER.invokeN0(INT_OF_VOID, main);
    }

    int beforeUnload() {
        return (int) INVOKER.invokeN0(INT_OF_VOID, beforeUnload);
    }

    void free(long pointer, long length, long capacity) {
        INVOKER.invokeN3(VOID_OF_TRIPLE, free, pointer, length, capacity);
    }

    boolean takePanic(long out) {
        return (INVOKER.invokeN1(BOOL_OF_POINTER, takePanic, out) & 0xFF) != 0;
    }

    void panicFree() {
        INVOKER.invokeN0(VOID_OF_VOID, panicFree);
    }

    void fini() {
        INVOKER.invokeN0(VOID_OF_VOID, fini);
    }

    void importFailed(long message, long length) {
        INVOKER.invokeN2(VOID_OF_POINTER_LENGTH, importFailed, message, length);
    }

    /** The module's panic counter, read at its address (a JNI call per read: a fresh load each time). */
    long panicCount() {
        return MEMORY.getLong(panicCount);
    }

    private static CallContext context(Type returns, Type... parameters) {
        return CallContext.getCallContext(returns, parameters, CallingConvention.DEFAULT, false);
    }
}
