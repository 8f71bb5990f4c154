package dev.relib.engine.model;

/**
 * A mapping a module made with mmap and has not unmapped.
 *
 * @param address    where it starts
 * @param length     bytes
 * @param protection mmap's prot bits (PROT_READ 1, PROT_WRITE 2, PROT_EXEC 4)
 * @param flags      mmap's flags
 * @param anonymous  MAP_ANONYMOUS was set (else it maps a file)
 */
public record LeakedMapping(long address, long length, int protection, int flags, boolean anonymous) {
}
