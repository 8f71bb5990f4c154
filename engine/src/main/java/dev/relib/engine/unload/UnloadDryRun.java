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
        target.sdk().filter(sdk -> sdk.info().hasBeforeUnload()).ifPresent(sdk -> findings.add(new CheckFinding(
                "before_unload", Severity.INFO, "before_unload will run first; a panic in it refuses the unload")));
        if (findings.stream().noneMatch(f -> f.severity() != Severity.INFO)) {
            findings.add(new CheckFinding("ok", Severity.INFO, "nothing found that would keep it loaded"));
        }
        return new UnloadCheckReport(target.info().name(), findings);
    }
}
