package dev.relib.bench;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.Type;
import dev.relib.engine.loader.DynamicLinker;
import java.nio.file.Path;

/** The leaky sample, opened with dlopen and called through jffi at its dlsym addresses. */
final class LeakyModule {

    private static final CallContext ONE_U64 =
            CallContext.getCallContext(Type.UINT64, new Type[] {Type.UINT64}, CallingConvention.DEFAULT, false);

    private final DynamicLinker linker;
    private final long handle;
    private final long boxRoundtrip;
    private final long leakBytes;

    LeakyModule(DynamicLinker linker, Path path) {
        this.linker = linker;
        this.handle = linker.open(path);
        this.boxRoundtrip = symbol("box_roundtrip");
        this.leakBytes = symbol("leak_bytes");
    }

    long handle() {
        return handle;
    }

    long boxRoundtrip(long pairs) {
        return Invoker.getInstance().invokeN1(ONE_U64, boxRoundtrip, pairs);
    }

    void leakBytes(long n) {
        Invoker.getInstance().invokeN1(ONE_U64, leakBytes, n);
    }

    void close() {
        String error = linker.close(handle);
        if (error != null) {
            throw new IllegalStateException("dlclose: " + error);
        }
    }

    private long symbol(String name) {
        long address = linker.symbol(handle, name);
        if (address == 0) {
            throw new IllegalStateException("libleaky.so has no export " + name);
        }
        return address;
    }
}
