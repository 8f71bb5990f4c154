package dev.relib.engine.call;

import com.kenai.jffi.MemoryIO;
import dev.relib.engine.error.EngineFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * Arguments converted once for one {@link CompiledCall}, reused by every call of a repeat loop.
 * Strings and byte slices live in native memory owned by this object; {@link #close()} frees it,
 * so close only after the module is done with those pointers.
 */
public final class PreparedArguments implements AutoCloseable {

    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    /** Enough for the largest value returned through memory: a (ptr, len, cap) triple. */
    private static final int RETURN_BLOCK_SIZE = 32;

    private final CompiledCall owner;
    private final List<String> texts;
    private final long[] slots;
    private final long[] slotAddresses;
    private final long returnBlock;
    private final long[] blocks;
    private boolean closed;

    private PreparedArguments(CompiledCall owner, List<String> texts, long[] slots, long[] slotAddresses,
                              long returnBlock, long[] blocks) {
        this.owner = owner;
        this.texts = List.copyOf(texts);
        this.slots = slots;
        this.slotAddresses = slotAddresses;
        this.returnBlock = returnBlock;
        this.blocks = blocks;
    }

    /**
     * @param byAddress whether the call passes each native argument by address (libffi's general
     *                  path), which needs the values in native memory and a return block
     */
    static PreparedArguments allocate(CompiledCall owner, List<String> texts, List<ValueType> types,
                                      ArgumentValue[] values, int nativeCount, boolean byAddress) {
        List<Long> blocks = new ArrayList<>();
        try {
            long[] slots = new long[nativeCount];
            boolean[] structAt = new boolean[nativeCount];
            int slot = 0;
            for (int i = 0; i < values.length; i++) {
                if (values[i] instanceof ArgumentValue.Aggregate struct) {
                    byte[] data = struct.shared();
                    long address = allocate(Math.max(data.length, 1), blocks);
                    MEMORY.putByteArray(address, data, 0, data.length);
                    structAt[slot] = true;
                    slots[slot++] = address;
                } else if (values[i] instanceof ArgumentValue.Bytes bytes) {
                    long address = allocate(Math.max(bytes.length(), 1), blocks);
                    MEMORY.putByteArray(address, bytes.shared(), 0, bytes.length());
                    slots[slot++] = address;
                    if (types.get(i).nativeSlots() == 2) {
                        slots[slot++] = bytes.length();
                    }
                } else {
                    slots[slot++] = ((ArgumentValue.Bits) values[i]).bits();
                }
            }
            long[] slotAddresses = null;
            long returnBlock = 0;
            if (byAddress) {
                long argumentBlock = allocate(Math.max(8L * nativeCount, 8), blocks);
                slotAddresses = new long[nativeCount];
                for (int i = 0; i < nativeCount; i++) {
                    if (structAt[i]) {
                        // libffi copies a by-value struct from where its argument pointer points.
                        slotAddresses[i] = slots[i];
                        continue;
                    }
                    slotAddresses[i] = argumentBlock + 8L * i;
                    MEMORY.putLong(slotAddresses[i], slots[i]);
                }
                ValueType returned = owner.signature().returnType();
                int returnSize = returned instanceof ValueType.Struct struct ? struct.layout().size() : 0;
                returnBlock = allocate(Math.max(RETURN_BLOCK_SIZE, returnSize), blocks);
            }
            return new PreparedArguments(owner, texts, slots, slotAddresses, returnBlock,
                    blocks.stream().mapToLong(Long::longValue).toArray());
        } catch (RuntimeException | Error e) {
            blocks.forEach(MEMORY::freeMemory);
            throw e;
        }
    }

    private static long allocate(long size, List<Long> blocks) {
        long address = MEMORY.allocateMemory(size, true);
        if (address == 0) {
            throw new EngineFailure("call.out_of_memory", "could not allocate " + size + " bytes for call arguments");
        }
        blocks.add(address);
        return address;
    }

    /** The argument texts as given. */
    public List<String> texts() {
        return texts;
    }

    /** The address passed for the argument at {@code index} when it is a string or byte slice, else 0. */
    public long nativeAddressOf(int argumentIndex) {
        checkOpen();
        int slot = 0;
        List<ValueType> parameters = owner.signature().parameters();
        for (int i = 0; i < argumentIndex; i++) {
            slot += parameters.get(i).nativeSlots();
        }
        ValueType type = parameters.get(argumentIndex);
        boolean inMemory = type instanceof ValueType.FatPointer || type instanceof ValueType.CString;
        return inMemory ? slots[slot] : 0;
    }

    /**
     * Replaces native argument slot {@code slot} (not a by-value struct's) with {@code bits} for the
     * calls after this: for a loop that passes each call what the previous one returned (relib's box
     * to its post function) without converting text.
     */
    public void setRaw(int slot, long bits) {
        checkOpen();
        slots[slot] = bits;
        if (slotAddresses != null) {
            MEMORY.putLong(slotAddresses[slot], bits);
        }
    }

    long[] slots() {
        return slots;
    }

    long[] slotAddresses() {
        return slotAddresses;
    }

    long returnBlock() {
        return returnBlock;
    }

    void checkUsableBy(CompiledCall call) {
        checkOpen();
        if (call != owner) {
            throw new IllegalArgumentException("these arguments were prepared for " + owner.signature().canonical()
                    + ", not for this call");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the prepared arguments were closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (long block : blocks) {
                MEMORY.freeMemory(block);
            }
        }
    }
}
