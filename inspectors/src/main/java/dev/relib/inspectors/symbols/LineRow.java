package dev.relib.inspectors.symbols;

/**
 * One row of a line table.
 *
 * @param file        an index into {@link LineTable#files()}; -1 when the program named a file its
 *                    unit does not define
 * @param endSequence the first address past a sequence; it describes no instruction
 */
public record LineRow(long address, int file, int line, int column, boolean endSequence) {
}
