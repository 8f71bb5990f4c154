/**
 * Symbolization: address to object (an {@link dev.relib.inspectors.symbols.AddressSpace} taken
 * when the address was captured), object to function ({@code .symtab}, else {@code .dynsym}), and
 * function to source line (DWARF {@code .debug_line}, versions 2 to 5, read in Java).
 * {@link dev.relib.inspectors.symbols.Symbolizer} is the entry point;
 * {@link dev.relib.inspectors.symbols.SymbolCache} keeps each object's tables, and
 * {@link dev.relib.inspectors.symbols.SymbolCache#retain} keeps them past the object's unload.
 * Absent or damaged debug info gives frames without a line and a reason, never a guess.
 */
package dev.relib.inspectors.symbols;
