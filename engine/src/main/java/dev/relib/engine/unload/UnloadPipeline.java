package dev.relib.engine.unload;

import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.model.UnloadStep.Outcome;
import dev.relib.engine.process.Mapping;
import dev.relib.engine.process.ProcessMaps;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * relib's unload, step by step, each step reported: before_unload, threads check, thread-local
 * destructors, leak report and free, leaked mappings, dlclose, final check. A step that refuses
 * stops the pipeline before dlclose, so the module stays loaded and usable. Runs on the owner thread.
 */
public final class UnloadPipeline {

    private final DynamicLinker linker;
    private final StillLoadedDiagnosis diagnosis;

    public UnloadPipeline(DynamicLinker linker) {
        this.linker = linker;
        this.diagnosis = new StillLoadedDiagnosis(linker);
    }

    public UnloadReport run(UnloadTarget target, UnloadRequest request) {
        ModuleInfo module = target.info();
        List<UnloadStep> steps = new ArrayList<>();
        Optional<String> refusal = SdkUnloadSteps.beforeUnload(target, steps);
        if (refusal.isPresent()) {
            return new UnloadReport(module.name(), UnloadReport.Outcome.REFUSED, steps, List.of(refusal.get()));
        }
        SdkUnloadSteps.fini(target, steps);
        String closeError = linker.close(target.handle());
        if (closeError != null) {
            steps.add(new UnloadStep("dlclose", Outcome.FAILED, closeError));
            return new UnloadReport(module.name(), UnloadReport.Outcome.REFUSED, steps, List.of(closeError));
        }
        steps.add(new UnloadStep("dlclose", Outcome.PASSED, "handle released"));
        return finalCheck(target, steps);
    }

    /** The file that was dlopened must be mapped nowhere in the process any more. */
    private UnloadReport finalCheck(UnloadTarget target, List<UnloadStep> steps) {
        ModuleInfo module = target.info();
        List<Mapping> left = ProcessMaps.mappingsOf(module.loadedFromIdentity());
        if (left.isEmpty()) {
            steps.add(new UnloadStep("final_check", Outcome.PASSED, module.loadedFrom().getFileName() + " is no longer mapped"));
            return new UnloadReport(module.name(), UnloadReport.Outcome.UNLOADED, steps, List.of());
        }
        List<String> reasons = new ArrayList<>(diagnosis.reasons(module, target.elf(), target.otherModules()));
        if (reasons.isEmpty() && diagnosis.stillReferenced(module.loadedFrom())) {
            reasons.add("another dlopen reference to it is still open");
        }
        if (reasons.isEmpty()) {
            reasons.add("no known cause found; see its mappings with: maps");
        }
        long bytes = left.stream().mapToLong(Mapping::length).sum();
        steps.add(new UnloadStep("final_check", Outcome.FAILED, "still mapped: " + left.size() + " mapping"
                + (left.size() == 1 ? "" : "s") + ", " + bytes + " bytes"));
        return new UnloadReport(module.name(), UnloadReport.Outcome.STILL_MAPPED, steps, reasons);
    }
}
