package dev.relib.engine.core;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.elf.ElfSymbol;
import dev.relib.engine.error.CallError;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.model.SymbolLocation;

/**
 * Finds a module's function or data symbol ({@code values.COUNTER}) by {@code dlsym}, with its size
 * from the module's dynamic symbol table: what {@code print}, {@code read} and {@code write} address.
 */
final class SymbolLocator {

    private final ModuleRegistry registry;
    private final DynamicLinker linker;

    SymbolLocator(ModuleRegistry registry, DynamicLinker linker) {
        this.registry = registry;
        this.linker = linker;
    }

    SymbolLocation locate(ModuleRef ref, String symbol) {
        LoadedModule module = registry.resolve(ref);
        long address = linker.symbol(module.handle(), symbol);
        if (address == 0) {
            throw new CallError.SymbolNotFound(module.name(), symbol);
        }
        long size = module.elf().dynamicSymbols().stream()
                .filter(s -> s.name().equals(symbol) && s.isDefined())
                .mapToLong(ElfSymbol::size)
                .findFirst().orElse(0);
        return new SymbolLocation(module.name(), symbol, address, size);
    }
}
