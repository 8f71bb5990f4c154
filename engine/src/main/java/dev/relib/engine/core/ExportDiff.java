package dev.relib.engine.core;

import dev.relib.engine.model.ExportInfo;
import dev.relib.engine.model.ReloadChanges;
import dev.relib.engine.model.ReloadChanges.SignatureChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What changed between two generations of a module, as far as the files and their manifests tell. */
final class ExportDiff {

    private ExportDiff() {
    }

    static ReloadChanges between(LoadedModule before, LoadedModule after) {
        Map<String, ExportInfo> old = byName(Exports.of(before));
        Map<String, ExportInfo> next = byName(Exports.of(after));
        List<String> added = next.keySet().stream().filter(s -> !old.containsKey(s)).sorted().toList();
        List<String> removed = old.keySet().stream().filter(s -> !next.containsKey(s)).sorted().toList();
        List<SignatureChange> changed = new ArrayList<>();
        old.forEach((symbol, export) -> {
            ExportInfo now = next.get(symbol);
            if (now != null && export.signature() != null && now.signature() != null
                    && !Objects.equals(export.signature(), now.signature())) {
                changed.add(new SignatureChange(symbol, export.signature(), now.signature()));
            }
        });
        String oldBuildId = before.info().buildId();
        String newBuildId = after.info().buildId();
        boolean sameContent = before.info().fileSize() == after.info().fileSize() && oldBuildId != null
                && oldBuildId.equals(newBuildId);
        return new ReloadChanges(added, removed, changed, before.info().fileSize(), after.info().fileSize(),
                oldBuildId, newBuildId, sameContent);
    }

    private static Map<String, ExportInfo> byName(List<ExportInfo> exports) {
        return exports.stream().collect(Collectors.toMap(ExportInfo::symbol, Function.identity(), (a, b) -> a));
    }
}
