package dev.relib.engine.model;

/**
 * A defined function in a module's {@code .dynsym}.
 *
 * @param symbol          the raw (mangled) symbol name
 * @param address         absolute address in this process
 * @param size            {@code st_size}
 * @param signature       canonical signature text ({@code name(i32, i32) -> i32}), or null when unknown
 * @param signatureSource where the signature came from
 * @param relib           how relib sees the function, for a relib module; null otherwise
 */
public record ExportInfo(String symbol, long address, long size, String signature, SignatureSource signatureSource,
                         RelibExport relib) {

    public ExportInfo(String symbol, long address, long size, String signature, SignatureSource signatureSource) {
        this(symbol, address, size, signature, signatureSource, null);
    }

    public enum SignatureSource {
        NONE,
        /** From the module's {@code .relib_exports} manifest. */
        MANIFEST,
        /** Remembered from a {@code sig} command or an earlier call. */
        REMEMBERED,
        /** relib's own default: {@code main} and {@code before_unload} returning by value take and return nothing. */
        RELIB_DEFAULT
    }

    /**
     * @param name      the relib name ({@code main}, {@code Exports::ref_ret}), or null for relib's machinery
     * @param boxed     whether it returns a boxed value, freed through its {@code __post__} function
     * @param machinery a {@code __post__} function, an internal export or a libc hook: what {@code exports} folds away
     */
    public record RelibExport(String name, boolean boxed, boolean machinery) {
    }
}
