package dev.relib.bench;

import dev.relib.engine.process.LibcBinding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * CPU time of the whole process (every thread: the engine's, the JIT's, the GC's) in nanoseconds,
 * from {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)}. The JDK's {@code getProcessCpuTime} counts
 * in clock ticks here (10 ms), which made a 50-cycle block's CPU time a multiple of 200 us a cycle.
 */
final class ProcessCpuClock {

    /** The libc function; libc is never unloaded, so JNR's loader is fine here. */
    public interface Libc {
        int clock_gettime(int clockId, ByteBuffer timespec);
    }

    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    private static final Libc LIBC = LibcBinding.load(Libc.class);
    private static final ByteBuffer TIMESPEC = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());

    private ProcessCpuClock() {
    }

    /** Called from the measuring thread only: the buffer is shared. */
    static long nanos() {
        if (LIBC.clock_gettime(CLOCK_PROCESS_CPUTIME_ID, TIMESPEC) != 0) {
            throw new IllegalStateException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
        }
        return TIMESPEC.getLong(0) * 1_000_000_000L + TIMESPEC.getLong(8);
    }
}
