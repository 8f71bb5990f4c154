package dev.relib.engine.core;

import dev.relib.engine.elf.ElfSymbol;
import dev.relib.engine.model.ExportInfo;
import dev.relib.engine.model.ExportInfo.RelibExport;
import dev.relib.engine.model.ExportInfo.SignatureSource;
import dev.relib.engine.relib.call.RelibExportNames;
import dev.relib.engine.relib.call.RelibExports;
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
        RelibExport relib = relibView(module, symbol);
        var declared = module.manifestSignature(symbol.name());
        if (declared.isPresent()) {
            return new ExportInfo(symbol.name(), address, symbol.size(), declared.get().canonical(), SignatureSource.MANIFEST,
                    relib);
        }
        var remembered = module.rememberedSignature(symbol.name());
        if (remembered.isPresent()) {
            return new ExportInfo(symbol.name(), address, symbol.size(), remembered.get().canonical(),
                    SignatureSource.REMEMBERED, relib);
        }
        if (isRelibEntry(relib)) {
            return new ExportInfo(symbol.name(), address, symbol.size(), relib.name() + "()", SignatureSource.RELIB_DEFAULT,
                    relib);
        }
        return new ExportInfo(symbol.name(), address, symbol.size(), null, SignatureSource.NONE, relib);
    }

    /** The signature {@link #describe} gives the symbol, or null, without building the rest of the record. */
    static String signature(LoadedModule module, ElfSymbol symbol) {
        var declared = module.manifestSignature(symbol.name());
        if (declared.isPresent()) {
            return declared.get().canonical();
        }
        var remembered = module.rememberedSignature(symbol.name());
        if (remembered.isPresent()) {
            return remembered.get().canonical();
        }
        RelibExport relib = relibView(module, symbol);
        return isRelibEntry(relib) ? relib.name() + "()" : null;
    }

    private static boolean isRelibEntry(RelibExport relib) {
        return relib != null && !relib.boxed() && ("main".equals(relib.name()) || "before_unload".equals(relib.name()));
    }

    private static RelibExport relibView(LoadedModule module, ElfSymbol symbol) {
        return module.relibExports().map(r -> relibView(r, symbol.name())).orElse(null);
    }

    private static RelibExport relibView(RelibExports relib, String symbol) {
        if (RelibExportNames.isMachinery(symbol)) {
            return new RelibExport(null, false, true);
        }
        String name = relib.isRelibExport(symbol) ? RelibExportNames.relibName(symbol).orElse(null) : null;
        return new RelibExport(name, name != null && relib.postOf(symbol).isPresent(), false);
    }
}
