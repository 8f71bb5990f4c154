package dev.relib.engine.unload;

import dev.relib.engine.model.LeakSummary;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.model.UnloadStep.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * The unload of a module that is no longer mapped when it is asked for: it called {@code dlclose}
 * on its own handle (after a {@code dlopen(RTLD_NOLOAD)} of itself) until glibc unmapped it. Its
 * code and GOT are gone, so nothing may call into it or write to it: no before_unload, no
 * destructors, no GOT restore, no second dlclose on a handle glibc has freed. What it left in the
 * heap and in mappings is still its leak, and is freed as for any module.
 */
final class SelfUnloadedModule {

    static final String GONE = "the module is no longer mapped: it unloaded itself (dlclose on its own handle)";

    private SelfUnloadedModule() {
    }

    static UnloadReport report(UnloadTarget target, UnloadRequest request, TrackedSteps tracked) {
        ModuleInfo module = target.info();
        List<UnloadStep> steps = new ArrayList<>();
        steps.add(new UnloadStep("before_unload", Outcome.SKIPPED, GONE));
        LeakSummary leaks = null;
        if (tracked != null) {
            steps.add(new UnloadStep("threads", Outcome.SKIPPED, "its code is gone"));
            steps.add(tracked.disableDestructors());
            leaks = tracked.leaks(request.keepLeaks(), false);
            steps.add(tracked.freeLeaks(leaks, request.keepLeaks(), request));
            steps.add(tracked.unmapLeaks(leaks, request.keepLeaks(), request));
            steps.add(tracked.closeFds(leaks, request.keepLeaks(), request));
            tracked.detach();
            tracked.forget();
        }
        steps.add(new UnloadStep("dlclose", Outcome.SKIPPED, "it closed its own handle already; relib's was not"
                + " closed again"));
        steps.add(new UnloadStep("final_check", Outcome.PASSED, module.loadedFrom().getFileName() + " is no longer mapped"));
        return new UnloadReport(module.name(), UnloadReport.Outcome.UNLOADED, steps, List.of(GONE), leaks, List.of());
    }
}
