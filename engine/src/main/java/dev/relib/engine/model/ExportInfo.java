package dev.relib.engine.model;

/**
 * A defined function in a module's {@code .dynsym}.
 *
 * @param symbol          the raw (mangled) symbol name
 * @param address         absolute address in this process
 * @param size            {@code st_size}
 * @param signature       canonical signature text ({@code name(i32, i32) -> i32}), or null when unknown
 * @param signatureSource where the signature came from
 */
public record ExportInfo(String symbol, long address, long size, String signature, SignatureSource signatureSource) {

    public enum SignatureSource {
        NONE,
        /** From the module's {@code .relib_exports} manifest. */
        MANIFEST,
        /** Remembered from a {@code sig} command or an earlier call. */
        REMEMBERED
    }
}
