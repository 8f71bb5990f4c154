package dev.relib.engine.relib;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;

/**
 * A relib entry called without arguments ({@code __relib__main}, {@code __relib__before_unload}),
 * as relib_host's helpers call them: the success flag first; when a {@code __post__} function
 * exists the result is a box, freed through it after a successful call. The value is not decoded:
 * the binary does not record its type. Call on the module owner thread.
 */
final class RelibEntry {

    private static final Invoker INVOKER = Invoker.getInstance();
    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    private static final CallContext U64_OF_POINTER = CallContext.getCallContext(Type.UINT64,
            new Type[] {Type.POINTER}, CallingConvention.DEFAULT, false);
    private static final CallContext VOID_OF_POINTER = CallContext.getCallContext(Type.VOID,
            new Type[] {Type.POINTER}, CallingConvention.DEFAULT, false);

    private RelibEntry() {
    }

    /** Calls the entry; true when it returned normally (success flag 1), false when it panicked. */
    static boolean call(long function, long post) {
        long flag = MEMORY.allocateMemory(8, true);
        try {
            long result = INVOKER.invokeN1(U64_OF_POINTER, function, flag);
            boolean success = (MEMORY.getByte(flag) & 0xFF) == 1;
            if (success && post != 0) {
                INVOKER.invokeN1(VOID_OF_POINTER, post, result);
            }
            return success;
        } finally {
            MEMORY.freeMemory(flag);
        }
    }
}
