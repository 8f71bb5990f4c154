package dev.relib.engine.core;

import dev.relib.engine.call.CompiledCall;
import dev.relib.engine.call.Signature;
import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.elf.ElfSymbol;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.sdk.SdkSession;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's own state for one loaded module: its public description, the live handle, the
 * parsed file, the signatures it remembers, and the calls compiled for it. Confined to the module
 * owner thread, like every other piece of registry state.
 */
final class LoadedModule {

    private final ModuleInfo info;
    private final long handle;
    private final ElfFile elf;
    private final SdkSession sdk;
    private final Map<String, Signature> manifestSignatures;
    private final Map<String, ElfSymbol> exportsBySymbol = new LinkedHashMap<>();
    private final Map<String, Signature> rememberedSignatures = new HashMap<>();
    private final Map<String, CompiledCall> compiledCalls = new HashMap<>();

    /** @param sdk the SDK session, or null for a plain module */
    LoadedModule(ModuleInfo info, long handle, ElfFile elf, List<ElfSymbol> exports, SdkSession sdk) {
        this.info = info;
        this.handle = handle;
        this.elf = elf;
        this.sdk = sdk;
        this.manifestSignatures = sdk == null ? Map.of() : sdk.manifest().exportSignatures();
        exports.forEach(symbol -> exportsBySymbol.put(symbol.name(), symbol));
    }

    /** The description, with the SDK part as it is now ({@code call main} changes what main did). */
    ModuleInfo info() {
        if (sdk == null) {
            return info;
        }
        return new ModuleInfo(info.id(), info.name(), info.source(), info.loadedFrom(), info.identity(),
                info.loadedFromIdentity(), info.baseAddress(), info.fileSize(), info.buildId(), info.rustcVersion(),
                info.needed(), info.nodelete(), info.tracked(), info.kind(), info.exportCount(), info.loadedAt(),
                sdk.info());
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

    ElfFile elf() {
        return elf;
    }

    Optional<SdkSession> sdk() {
        return Optional.ofNullable(sdk);
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

    /** The compiled call for this symbol and signature, compiled on first use and reused after. */
    CompiledCall compiled(String symbol, Signature signature, long address) {
        return compiledCalls.computeIfAbsent(symbol + '\u0000' + signature.canonical(),
                key -> CompiledCall.compile(signature, address));
    }
}
