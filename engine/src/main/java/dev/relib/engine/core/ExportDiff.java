package dev.relib.engine.core;

import dev.relib.engine.elf.ElfSymbol;
import dev.relib.engine.model.ReloadChanges;
import dev.relib.engine.model.ReloadChanges.SignatureChange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** What changed between two generations of a module, as far as the files and their manifests tell. */
final class ExportDiff {

    private ExportDiff() {
    }

    static ReloadChanges between(LoadedModule before, LoadedModule after) {
        Map<String, ElfSymbol> old = before.exports();
        Map<String, ElfSymbol> next = after.exports();
        List<String> added = missingFrom(old, next.keySet());
        List<String> removed = missingFrom(next, old.keySet());
        List<SignatureChange> changed = new ArrayList<>();
        for (ElfSymbol symbol : old.values()) {
            ElfSymbol now = next.get(symbol.name());
            if (now == null) {
                continue;
            }
            // The new generation seldom has one yet (remembered signatures are carried over after this).
            String is = Exports.signature(after, now);
            String was = is == null ? null : Exports.signature(before, symbol);
            if (was != null && !was.equals(is)) {
                changed.add(new SignatureChange(symbol.name(), was, is));
            }
        }
        String oldBuildId = before.info().buildId();
        String newBuildId = after.info().buildId();
        boolean sameContent = before.info().fileSize() == after.info().fileSize() && oldBuildId != null
                && oldBuildId.equals(newBuildId);
        return new ReloadChanges(added, removed, changed, before.info().fileSize(), after.info().fileSize(),
                oldBuildId, newBuildId, sameContent);
    }

    /** The symbols of {@code of} that {@code in} lacks, sorted. */
    static List<String> missingFrom(Map<String, ?> in, Collection<String> of) {
        List<String> missing = new ArrayList<>();
        for (String symbol : of) {
            if (!in.containsKey(symbol)) {
                missing.add(symbol);
            }
        }
        missing.sort(null);
        return missing;
    }
}
