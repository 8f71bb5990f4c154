package dev.relib.engine.unload;

import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.model.CheckFinding;
import dev.relib.engine.model.CheckFinding.Severity;
import dev.relib.engine.model.UnloadCheckReport;
import java.util.ArrayList;
import java.util.List;

/** {@code check unload}: what the pipeline would meet, found without changing anything. */
public final class UnloadDryRun {

    private final StillLoadedDiagnosis diagnosis;

    public UnloadDryRun(DynamicLinker linker) {
        this.diagnosis = new StillLoadedDiagnosis(linker);
    }

    public UnloadCheckReport run(UnloadTarget target) {
        List<CheckFinding> findings = new ArrayList<>();
        for (String reason : diagnosis.reasons(target.info(), target.elf(), target.otherModules())) {
            findings.add(new CheckFinding("still_mapped", Severity.BLOCKING, "would stay mapped: " + reason));
        }
        if (findings.isEmpty()) {
            findings.add(new CheckFinding("ok", Severity.INFO, "nothing found that would keep it loaded"));
        }
        return new UnloadCheckReport(target.info().name(), findings);
    }
}
