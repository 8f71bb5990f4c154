package dev.relib.engine.relib;

import dev.relib.engine.error.LoadError;
import dev.relib.engine.model.CheckFinding;
import dev.relib.engine.model.CheckFinding.Severity;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.ModuleKind;
import dev.relib.engine.model.RelibInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What {@code check load} says about a relib module, read from the file: its compilation info and what relib_host would refuse. */
public final class RelibChecks {

    private final RelibImportStubs stubs;

    public RelibChecks(RelibImportStubs stubs) {
        this.stubs = stubs;
    }

    /**
     * The module as the file describes it, before load (no tracker seen yet, no module id), with
     * each import slot and the stub that would fill it at a load now.
     */
    public RelibInfo describe(RelibFile file) {
        RelibCompilationInfo info = file.compilationInfo();
        List<RelibInfo.RelibImport> imports = file.importSlots().stream().map(slot -> {
            String name = RelibSymbols.relibName(slot);
            return new RelibInfo.RelibImport(name, slot, file.boxedImport(slot),
                    stubs.named(name).map(stub -> "stub = " + stub.stub().value()).orElse(null));
        }).toList();
        return new RelibInfo(info.text(), info.rustc(), info.hostTriple(), info.llvm(), info.relibVersion(),
                info.unloading(), null, 0, file.refusals(), false, imports);
    }

    public List<CheckFinding> findings(Path path, RelibFile file, RelibInfo relib, List<ModuleInfo> loaded) {
        List<CheckFinding> findings = new ArrayList<>();
        findings.add(new CheckFinding("relib_module", Severity.INFO, "relib " + relib.relibVersion() + " module, unloading "
                + (relib.unloading() ? "on" : "off") + ", rustc " + relib.rustc() + ", LLVM " + relib.llvm()
                + (relib.unloading() ? "" : "; relib cannot unload it safely")));
        if (!relib.refusals().isEmpty()) {
            findings.add(new CheckFinding("load.relib_mismatch", Severity.BLOCKING,
                    new LoadError.RelibMismatch(path, relib.refusals()).getMessage()));
        }
        for (ModuleInfo other : loaded) {
            if (other.kind() != ModuleKind.RELIB || other.relib() == null) {
                continue;
            }
            RelibCompilationInfo.parse(other.relib().compilationInfo())
                    .flatMap(otherInfo -> file.compilationInfo().conflictWith(other.name(), otherInfo))
                    .ifPresent(conflict -> findings.add(new CheckFinding("relib_host_conflict", Severity.WARNING,
                            conflict + " (the shell loads both)")));
        }
        List<String> unbound = stubs.unbound(file);
        if (!unbound.isEmpty()) {
            findings.add(new CheckFinding("load.relib_unbound_imports", Severity.BLOCKING,
                    new LoadError.RelibUnboundImports(path, unbound).getMessage()));
        }
        return findings;
    }
}
