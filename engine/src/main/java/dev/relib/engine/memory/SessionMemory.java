package dev.relib.engine.memory;

import dev.relib.engine.call.MemoryValues;
import dev.relib.engine.call.ReturnValue;
import dev.relib.engine.call.ValueType;
import dev.relib.engine.model.HostBuffer;
import dev.relib.engine.model.MemoryBytes;
import dev.relib.engine.model.TypedValue;
import java.util.List;

/** What the shell's memory commands do in the modules' process: raw bytes, typed values, buffers. */
public final class SessionMemory implements AutoCloseable {

    /** How far a C string is followed looking for its NUL. */
    static final int C_STRING_LIMIT = 4096;

    private final ProcessMemory memory = ProcessMemory.open();
    private final HostBuffers buffers = new HostBuffers();

    public MemoryBytes read(long address, int length) {
        return new MemoryBytes(address, memory.read(address, length));
    }

    /** {@code *const c_char}: the pointer read at {@code address}, then the string it points to. */
    public TypedValue readValue(String typeText, long address) {
        ValueType type = MemoryValues.type(typeText);
        byte[] bytes = memory.read(address, MemoryValues.size(type));
        ReturnValue value = MemoryValues.decode(type, bytes);
        if (MemoryValues.isCString(type) && value.value() != null) {
            long target = ((Number) value.value()).longValue();
            byte[] text = memory.readUpTo(target, C_STRING_LIMIT);
            value = MemoryValues.cString(text, text.length == C_STRING_LIMIT);
            if (text.length == 0) {
                memory.read(target, 1);
            }
        }
        return new TypedValue(type.text(), address, value.value(), value.display());
    }

    /** Writes the literal as the type, then reads it back. */
    public TypedValue writeValue(String typeText, long address, String literal) {
        ValueType type = MemoryValues.type(typeText);
        memory.write(address, MemoryValues.encode(type, literal));
        return readValue(typeText, address);
    }

    /** A C string in place ({@code x/s}): bytes from {@code address} up to the NUL. */
    public TypedValue readCStringAt(long address) {
        byte[] text = memory.readUpTo(address, C_STRING_LIMIT);
        if (text.length == 0) {
            memory.read(address, 1);
        }
        ReturnValue value = MemoryValues.cString(text, text.length == C_STRING_LIMIT);
        return new TypedValue("c_str", address, value.value(), value.display());
    }

    public HostBuffer allocate(long size) {
        return buffers.allocate(size);
    }

    public List<HostBuffer> buffers() {
        return buffers.list();
    }

    public HostBuffer free(int id) {
        return buffers.free(id);
    }

    @Override
    public void close() {
        buffers.close();
    }
}
