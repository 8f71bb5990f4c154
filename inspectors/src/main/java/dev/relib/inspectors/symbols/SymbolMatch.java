package dev.relib.inspectors.symbols;

/** The function an address lies in, and how far into it. */
public record SymbolMatch(FunctionSymbol symbol, long offset) {
}
