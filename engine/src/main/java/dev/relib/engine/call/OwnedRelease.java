package dev.relib.engine.call;

/**
 * Gives an owned return value ({@code String}, {@code Vec<u8>}: a (ptr, len, cap) triple) back to
 * the module that allocated it: for SDK modules, {@code relib_sdk_free}.
 */
@FunctionalInterface
public interface OwnedRelease {

    void release(long pointer, long length, long capacity);
}
