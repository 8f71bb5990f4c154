package dev.relib.engine.model;

/**
 * A zeroed block the session allocated in the modules' process ({@code buf N}), to pass to calls;
 * freed when the session ends.
 *
 * @param id      1, 2, ... in allocation order
 * @param address where it starts
 * @param size    its length in bytes
 */
public record HostBuffer(int id, long address, long size) {
}
