package dev.relib.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

/** Bytes the current thread allocates on the Java heap while a piece of work runs. */
public final class HeapAllocations {

    /** Slack for one-off allocations (class init, JIT deoptimization); far below 100,000 calls of anything. */
    public static final long SLACK_BYTES = 4096;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private HeapAllocations() {
    }

    /** Fails unless the probe sees allocations: else every comparison made with it would pass vacuously. */
    public static void assertMeasurable() {
        assertThat(THREADS.isThreadAllocatedMemoryEnabled()).isTrue();
        byte[][] sink = new byte[1][];
        assertThat(during(() -> sink[0] = new byte[100_000])).isGreaterThanOrEqualTo(100_000);
    }

    public static long during(Runnable work) {
        long thread = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        work.run();
        return THREADS.getThreadAllocatedBytes(thread) - before;
    }
}
