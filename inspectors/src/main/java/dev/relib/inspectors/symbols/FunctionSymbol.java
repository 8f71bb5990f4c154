package dev.relib.inspectors.symbols;

/**
 * A function symbol of one object.
 *
 * @param name    as stored in the symbol table (mangled for Rust and C++)
 * @param address the object's own virtual address ({@code st_value})
 * @param size    {@code st_size}; 0 when the producer recorded none
 */
public record FunctionSymbol(String name, long address, long size) {
}
