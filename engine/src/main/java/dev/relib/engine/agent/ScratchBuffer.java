package dev.relib.engine.agent;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The direct memory the agent's functions write their answers into, one per calling thread and
 * reused: a direct buffer per call cost a malloc, a zeroing and a cleaner each time (16 KiB of
 * zeroes for every stderr copy), several times per reload. Big answers (a module with hundreds of
 * thousands of blocks) get a buffer of their own, so that no thread keeps megabytes afterwards.
 */
final class ScratchBuffer {

    private static final int KEPT_CAPACITY = 256 * 1024;
    private static final byte[] ZEROES = new byte[4096];

    private final ThreadLocal<ByteBuffer> kept = ThreadLocal.withInitial(() -> allocate(Agent.STDERR_KEPT));

    /** At least {@code size} bytes, position 0, contents left from before: for calls that say how much they wrote. */
    ByteBuffer ofSize(int size) {
        ByteBuffer buffer = kept.get();
        if (buffer.capacity() < size) {
            if (size > KEPT_CAPACITY) {
                return allocate(size);
            }
            buffer = allocate(Math.min(KEPT_CAPACITY, Math.max(size, buffer.capacity() * 2)));
            kept.set(buffer);
        }
        return buffer.clear();
    }

    /** {@code size} bytes of zeroes: for out-parameters a function may leave alone. */
    ByteBuffer zeroed(int size) {
        ByteBuffer buffer = ofSize(size);
        for (int at = 0; at < size; at += ZEROES.length) {
            buffer.put(at, ZEROES, 0, Math.min(ZEROES.length, size - at)); // a copy, not a put per byte
        }
        return buffer;
    }

    private static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(Math.max(size, 8)).order(ByteOrder.nativeOrder());
    }
}
