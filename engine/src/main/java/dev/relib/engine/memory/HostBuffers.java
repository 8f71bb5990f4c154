package dev.relib.engine.memory;

import com.kenai.jffi.MemoryIO;
import dev.relib.engine.error.EngineFailure;
import dev.relib.engine.error.MemoryError;
import dev.relib.engine.model.HostBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The session's buffers: zeroed host memory handed to calls, freed at the end of the session. */
public final class HostBuffers implements AutoCloseable {

    /** Larger than any buffer a call inspection needs; a typo like {@code buf 10000000000} is refused. */
    public static final long MAX_SIZE = 1L << 30;

    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private final Map<Integer, HostBuffer> live = new LinkedHashMap<>();
    private int nextId = 1;

    public HostBuffer allocate(long size) {
        if (size < 1 || size > MAX_SIZE) {
            throw new MemoryError.TooLarge("a buffer", size, MAX_SIZE);
        }
        long address = MEMORY.allocateMemory(size, true);
        if (address == 0) {
            throw new EngineFailure("memory.out_of_memory", "could not allocate a buffer of " + size + " bytes");
        }
        HostBuffer buffer = new HostBuffer(nextId++, address, size);
        live.put(buffer.id(), buffer);
        return buffer;
    }

    public List<HostBuffer> list() {
        return new ArrayList<>(live.values());
    }

    public HostBuffer free(int id) {
        HostBuffer buffer = live.remove(id);
        if (buffer == null) {
            throw new MemoryError.UnknownBuffer(id);
        }
        MEMORY.freeMemory(buffer.address());
        return buffer;
    }

    @Override
    public void close() {
        live.values().forEach(buffer -> MEMORY.freeMemory(buffer.address()));
        live.clear();
    }
}
