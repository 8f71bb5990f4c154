package dev.relib.engine.sdk;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Closure;
import com.kenai.jffi.ClosureManager;
import com.kenai.jffi.MemoryIO;
import dev.relib.engine.call.NativeTypes;
import dev.relib.engine.call.Signature;
import java.nio.charset.StandardCharsets;

/**
 * The native function an import is bound to: a jffi closure around a {@link HostFunction}. No
 * Throwable leaves {@link #invoke}: unwinding a Java exception through the module's frames is
 * undefined, so a failure is logged, handed to {@code relib_sdk_import_failed} (the module's
 * wrapper then panics with it, and the panic is recorded) and the import returns zero.
 */
final class ImportClosure implements Closure {

    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private final String module;
    private final String entry;
    private final Signature signature;
    private final HostFunction function;
    private final SdkFunctions sdk;
    private final HostLog log;
    private Closure.Handle handle;

    private ImportClosure(String module, String entry, Signature signature, HostFunction function, SdkFunctions sdk,
                          HostLog log) {
        this.module = module;
        this.entry = entry;
        this.signature = signature;
        this.function = function;
        this.sdk = sdk;
        this.log = log;
    }

    /** Makes the closure; the caller keeps it (and so the handle) for as long as the module is loaded. */
    static ImportClosure create(String module, String entry, Signature signature, HostFunction function,
                                SdkFunctions sdk, HostLog log) {
        ImportClosure closure = new ImportClosure(module, entry, signature, function, sdk, log);
        CallContext context = CallContext.getCallContext(NativeTypes.returnType(signature.returnType()),
                NativeTypes.parameters(signature), CallingConvention.DEFAULT, false);
        closure.handle = ClosureManager.getInstance().newClosure(closure, context);
        return closure;
    }

    long address() {
        return handle.getAddress();
    }

    String entry() {
        return entry;
    }

    HostFunction function() {
        return function;
    }

    @Override
    public void invoke(Closure.Buffer buffer) {
        try {
            function.answer(buffer);
        } catch (Throwable failure) {
            fail(buffer, failure);
        }
    }

    private void fail(Closure.Buffer buffer, Throwable failure) {
        try {
            String message = failure instanceof HostFunction.StubFailure
                    ? failure.getMessage()
                    : failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
            log.write(module, 1, "import `" + entry + "` failed in the host: " + message);
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            long block = MEMORY.allocateMemory(Math.max(bytes.length, 1), false);
            if (block != 0) {
                try {
                    MEMORY.putByteArray(block, bytes, 0, bytes.length);
                    // The SDK copies the message before returning.
                    sdk.importFailed(block, bytes.length);
                } finally {
                    MEMORY.freeMemory(block);
                }
            }
            HostFunction.setReturn(buffer, signature, 0);
        } catch (Throwable ignored) {
            // Reporting failed too (out of memory): still nothing may unwind into the module.
        }
    }

    /** Releases the closure's trampoline; only after the module is unloaded. */
    void dispose() {
        handle.dispose();
    }
}
