package dev.relib.engine.core;

import dev.relib.engine.elf.ElfSymbol;
import dev.relib.engine.model.ExportInfo;
import dev.relib.engine.model.ExportInfo.SignatureSource;
import java.util.List;

/** A module's exports as records: address in this process, size, and the signature known for each. */
final class Exports {

    private Exports() {
    }

    static List<ExportInfo> of(LoadedModule module) {
        return module.exports().values().stream().map(symbol -> describe(module, symbol)).toList();
    }

    static ExportInfo describe(LoadedModule module, ElfSymbol symbol) {
        long address = module.info().baseAddress() + symbol.value();
        var declared = module.manifestSignature(symbol.name());
        if (declared.isPresent()) {
            return new ExportInfo(symbol.name(), address, symbol.size(), declared.get().canonical(), SignatureSource.MANIFEST);
        }
        return module.rememberedSignature(symbol.name())
                .map(sig -> new ExportInfo(symbol.name(), address, symbol.size(), sig.canonical(), SignatureSource.REMEMBERED))
                .orElseGet(() -> new ExportInfo(symbol.name(), address, symbol.size(), null, SignatureSource.NONE));
    }
}
