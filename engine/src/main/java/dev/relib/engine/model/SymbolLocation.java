package dev.relib.engine.model;

/**
 * Where a module's symbol (function or data) lies.
 *
 * @param size {@code st_size} from the module's symbol table, 0 when it gives none
 */
public record SymbolLocation(String module, String symbol, long address, long size) {
}
