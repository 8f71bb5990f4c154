package dev.relib.inspectors.symbols;

/** Debug information that does not follow the DWARF format, or uses a part of it not read here. */
public final class DwarfFormatException extends RuntimeException {

    public DwarfFormatException(String message) {
        super(message);
    }
}
