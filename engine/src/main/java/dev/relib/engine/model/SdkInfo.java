package dev.relib.engine.model;

import java.util.List;

/**
 * What an SDK module says about itself, and how the engine bound it.
 *
 * @param abi           the module's SDK ABI version
 * @param sdkVersion    the relib_sdk crate version it was built with
 * @param rustcVersion  the rustc that built it, as the module reports it
 * @param crateName     the module's package name
 * @param crateVersion  the module's package version
 * @param exports       the export manifest ({@code .relib_exports}), in file order
 * @param imports       each import and what it was bound to
 * @param hasMain       exports {@code main}
 * @param hasBeforeUnload exports {@code before_unload}
 * @param mainOutcome   what {@code main} did at load
 */
public record SdkInfo(int abi, String sdkVersion, String rustcVersion, String crateName, String crateVersion,
                      List<String> exports, List<ImportBinding> imports, boolean hasMain, boolean hasBeforeUnload,
                      EntryOutcome mainOutcome) {

    public SdkInfo {
        exports = List.copyOf(exports);
        imports = List.copyOf(imports);
    }

    /**
     * @param signature the import as the module declares it ({@code answer() -> u8})
     * @param boundTo   {@code built-in}, or the stub's definition ({@code stub = 42})
     */
    public record ImportBinding(String signature, String boundTo) {
    }

    /**
     * What a run of {@code main} or {@code before_unload} did.
     *
     * @param status  NOT_EXPORTED, OK, PANICKED or FAILED (returned {@code Err}; its text went to the log)
     * @param message the panic message with its location, or null
     */
    public record EntryOutcome(Status status, String message) {

        public enum Status { NOT_EXPORTED, OK, PANICKED, FAILED }

        public static EntryOutcome ok() {
            return new EntryOutcome(Status.OK, null);
        }

        public static EntryOutcome notExported() {
            return new EntryOutcome(Status.NOT_EXPORTED, null);
        }
    }
}
