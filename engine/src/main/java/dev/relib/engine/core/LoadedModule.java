package dev.relib.engine.core;

import dev.relib.engine.call.CompiledCall;
import dev.relib.engine.call.Signature;
import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.elf.ElfSymbol;
import dev.relib.engine.loader.FileStamp;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.relib.call.RelibCall;
import dev.relib.engine.relib.call.RelibExports;
import dev.relib.engine.relib.RelibSession;
import dev.relib.engine.sdk.SdkSession;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The engine's own state for one loaded module: its public description, the live handle, the
 * parsed file, the signatures it remembers, and the calls compiled for it. Confined to the module
 * owner thread, like every other piece of registry state.
 */
final class LoadedModule {

    private final ModuleInfo info;
    private final LoadRequest request;
    private final long handle;
    private final int trackingId;
    private final FileStamp sourceStamp;
    private final ElfFile elf;
    private final SdkSession sdk;
    private final RelibSession relib;
    private final Map<String, Signature> manifestSignatures;
    private final Map<String, ElfSymbol> exportsBySymbol = new LinkedHashMap<>();
    private final Map<String, Signature> rememberedSignatures = new HashMap<>();
    private final Map<CallKey, CompiledCall> compiledCalls = new HashMap<>();
    private final Map<CallKey, RelibCall> relibCalls = new HashMap<>();
    private Optional<RelibExports> relibExports;

    /**
     * @param request     how it was loaded: a reload loads the next generation the same way
     * @param trackingId  the agent's id for this generation (two generations live side by side during a reload)
     * @param sourceStamp the source file as it was when this generation was read
     * @param sdk         the SDK session, or null for a plain module
     */
    LoadedModule(ModuleInfo info, LoadRequest request, long handle, int trackingId, FileStamp sourceStamp, ElfFile elf,
                 List<ElfSymbol> exports, SdkSession sdk) {
        this(info, request, handle, trackingId, sourceStamp, elf, exports, sdk, null);
    }

    /** @param relib the relib session, or null for another kind */
    LoadedModule(ModuleInfo info, LoadRequest request, long handle, int trackingId, FileStamp sourceStamp, ElfFile elf,
                 List<ElfSymbol> exports, SdkSession sdk, RelibSession relib) {
        this.relib = relib;
        this.info = info;
        this.request = request;
        this.handle = handle;
        this.trackingId = trackingId;
        this.sourceStamp = sourceStamp;
        this.elf = elf;
        this.sdk = sdk;
        this.manifestSignatures = sdk == null ? Map.of() : sdk.manifest().exportSignatures();
        exports.forEach(symbol -> exportsBySymbol.put(symbol.name(), symbol));
    }

    /** The description, with the SDK part as it is now ({@code call main} changes what main did). */
    ModuleInfo info() {
        if (sdk == null && relib == null) {
            return info;
        }
        return info.withParts(sdk == null ? null : sdk.info(), relib == null ? null : relib.info());
    }

    int id() {
        return info.id();
    }

    String name() {
        return info.name();
    }

    long handle() {
        return handle;
    }

    LoadRequest request() {
        return request;
    }

    int trackingId() {
        return trackingId;
    }

    int generation() {
        return info.generation();
    }

    /** The source file's stamp as this generation's load took it, before reading the file. */
    FileStamp sourceStamp() {
        return sourceStamp;
    }

    /** Whether the source file differs from what this generation was read from. */
    boolean sourceChanged() {
        return FileStamp.of(info.source()).changedSince(sourceStamp);
    }

    /** The same generation under another id and name: what --force keeps running beside its successor. */
    LoadedModule renamed(int id, String name) {
        ModuleInfo renamed = info.renamed(id, name);
        // The same code, so the same SDK session: its panics and import bindings go along.
        LoadedModule copy = new LoadedModule(renamed, request, handle, trackingId, sourceStamp, elf,
                List.copyOf(exportsBySymbol.values()), sdk, relib);
        copy.carryOver(this);
        return copy;
    }

    /** A new generation keeps what the user taught the old one. */
    void carryOver(LoadedModule previous) {
        previous.rememberedSignatures.forEach((symbol, signature) -> {
            if (exportsBySymbol.containsKey(symbol)) {
                rememberedSignatures.put(symbol, signature);
            }
        });
    }

    Map<String, Signature> rememberedSignatures() {
        return Collections.unmodifiableMap(rememberedSignatures);
    }

    ElfFile elf() {
        return elf;
    }

    Optional<SdkSession> sdk() {
        return Optional.ofNullable(sdk);
    }

    Optional<RelibSession> relib() {
        return Optional.ofNullable(relib);
    }

    /** The signature the module's manifest declares for an export (SDK modules only). */
    Optional<Signature> manifestSignature(String symbol) {
        return Optional.ofNullable(manifestSignatures.get(symbol));
    }

    Map<String, ElfSymbol> exports() {
        return exportsBySymbol;
    }

    Optional<Signature> rememberedSignature(String symbol) {
        return Optional.ofNullable(rememberedSignatures.get(symbol));
    }

    void remember(String symbol, Signature signature) {
        rememberedSignatures.put(symbol, signature);
    }

    /**
     * The call for this symbol and signature, bound to this generation's address on first use and
     * reused after; the signature itself is compiled once for the engine ({@link CompiledSignatures}).
     */
    CompiledCall compiled(String symbol, Signature signature, long address, CompiledSignatures signatures) {
        return compiledCalls.computeIfAbsent(new CallKey(symbol, signature), key -> signatures.at(signature, address));
    }

    /**
     * A compiled call's key: the symbol and the signature itself, struct layouts included (a struct
     * declared again with other fields is another call). Its text was built with a stream on every
     * call. equals and hashCode are written out, as FileStamp's are: a record's generated ones
     * bootstrap a method handle at first use, in the middle of a worker's first call.
     */
    private record CallKey(String symbol, Signature signature) {
        @Override
        public boolean equals(Object other) {
            return other instanceof CallKey that && symbol.equals(that.symbol) && signature.equals(that.signature);
        }

        @Override
        public int hashCode() {
            return symbol.hashCode() * 31 + signature.hashCode();
        }
    }

    /** The module's exports as relib names them, when it follows relib's naming; read once. */
    Optional<RelibExports> relibExports() {
        if (relibExports == null) {
            relibExports = RelibExports.of(elf);
        }
        return relibExports;
    }

    /** The relib call for this export and signature, compiled on first use and reused after. */
    RelibCall relibCall(String symbol, Signature signature, Supplier<RelibCall> compile) {
        return relibCalls.computeIfAbsent(new CallKey(symbol, signature), key -> compile.get());
    }
}
