package dev.relib.engine.model;

/** Bytes read from the modules' process at {@code address}. */
public record MemoryBytes(long address, byte[] bytes) {

    public MemoryBytes {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
