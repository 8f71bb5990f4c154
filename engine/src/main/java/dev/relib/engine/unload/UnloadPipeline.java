package dev.relib.engine.unload;

import dev.relib.engine.agent.Agent;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.model.LeakSummary;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.ModuleThread;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.model.UnloadStep.Outcome;
import dev.relib.engine.process.Mapping;
import dev.relib.engine.process.ProcessMaps;
import dev.relib.engine.relib.RelibSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * relib's unload, step by step, each step reported: before_unload (SDK modules), threads check,
 * SDK fini, thread-local destructors, leak report and free, leaked mappings, open fds, dlclose, final check. A step that refuses stops the pipeline
 * before anything is torn down, so the module stays loaded and usable. Runs on the owner thread.
 */
public final class UnloadPipeline {

    private static final String UNTRACKED = "untracked (loaded with --untracked): nothing recorded to check";

    private final DynamicLinker linker;
    private final Supplier<Agent> agent;
    private final StillLoadedDiagnosis diagnosis;

    public UnloadPipeline(DynamicLinker linker, Supplier<Agent> agent, StillLoadedDiagnosis diagnosis) {
        this.linker = linker;
        this.agent = agent;
        this.diagnosis = diagnosis;
    }

    public UnloadReport run(UnloadTarget target, UnloadRequest request) {
        ModuleInfo module = target.info();
        // glibc listing it proves it is mapped; /proc/self/maps is read only when it does not.
        if (!linker.isListed(module.loadedFrom()) && ProcessMaps.mappingsOf(module.loadedFromIdentity()).isEmpty()) {
            return SelfUnloadedModule.report(target, request,
                    module.tracked() ? new TrackedSteps(agent.get(), target.trackingId(), target.handle()) : null);
        }
        if (target.relib().isPresent()) {
            return runRelib(target, request);
        }
        List<UnloadStep> steps = new ArrayList<>();
        Optional<String> refusal = SdkUnloadSteps.beforeUnload(target, steps);
        if (refusal.isPresent()) {
            return new UnloadReport(module.name(), UnloadReport.Outcome.REFUSED, steps, List.of(refusal.get()), null,
                    List.of());
        }
        TrackedSteps tracked = module.tracked() ? new TrackedSteps(agent.get(), target.trackingId(), target.handle()) : null;
        LeakSummary leaks = null;
        if (tracked == null) {
            steps.add(new UnloadStep("threads", Outcome.SKIPPED, UNTRACKED));
            SdkUnloadSteps.fini(target, steps);
            for (String step : List.of("tls_destructors", "free_leaks", "unmap_leaks", "close_fds")) {
                steps.add(new UnloadStep(step, Outcome.SKIPPED, UNTRACKED));
            }
        } else {
            List<ModuleThread> running = tracked.runningThreads();
            if (!running.isEmpty()) {
                steps.add(TrackedSteps.threadsRefused(running));
                return new UnloadReport(module.name(), UnloadReport.Outcome.REFUSED, steps,
                        List.of("module threads still running: " + TrackedSteps.describe(running)), null, running);
            }
            steps.add(TrackedSteps.threadsPassed(tracked.stats()));
            // After the last check that can refuse, before the leak report: what the SDK holds is not the module's leak.
            SdkUnloadSteps.fini(target, steps);
            steps.add(tracked.runDestructors());
            leaks = tracked.leaks(request.keepLeaks());
            steps.add(tracked.freeLeaks(leaks, request.keepLeaks(), request));
            steps.add(tracked.unmapLeaks(leaks, request.keepLeaks(), request));
            steps.add(tracked.closeFds(leaks, request.keepLeaks(), request));
            // The GOT goes back to glibc before dlclose: the module's destructors must not call the hooks.
            tracked.detach();
        }
        String closeError = linker.close(target.handle());
        if (tracked != null) {
            tracked.forget();
        }
        if (closeError != null) {
            steps.add(new UnloadStep("dlclose", Outcome.FAILED, closeError));
            return new UnloadReport(module.name(), UnloadReport.Outcome.STILL_MAPPED, steps, List.of(closeError), leaks,
                    List.of());
        }
        steps.add(new UnloadStep("dlclose", Outcome.PASSED, "handle released"));
        return finalCheck(target, steps, leaks, request);
    }

    /**
     * A relib module: relib's own sequence when it was built with unloading, then what the agent
     * found beyond relib's tracker; without unloading, relib has no unload, and the shell runs its own
     * (labelled as such).
     */
    private UnloadReport runRelib(UnloadTarget target, UnloadRequest request) {
        ModuleInfo module = target.info();
        RelibSession relib = target.relib().orElseThrow();
        List<UnloadStep> steps = new ArrayList<>();
        TrackedSteps tracked = module.tracked() ? new TrackedSteps(agent.get(), target.trackingId(), target.handle()) : null;
        if (!relib.unloadable()) {
            steps.add(new UnloadStep("relib", Outcome.WARNED, "built without relib's unloading feature: relib cannot "
                    + "unload it safely (relib_host never closes such a module); the shell does what it can with "
                    + "its own checks below"));
            Optional<String> refusal = RelibUnloadSteps.beforeUnload(relib, steps);
            if (refusal.isPresent()) {
                return new UnloadReport(module.name(), UnloadReport.Outcome.REFUSED, steps, List.of(refusal.get()),
                        null, List.of());
            }
        } else {
            Optional<String> refusal = RelibUnloadSteps.checks(relib, steps);
            if (refusal.isPresent()) {
                return new UnloadReport(module.name(), UnloadReport.Outcome.REFUSED, steps, List.of(refusal.get()),
                        null, List.of());
            }
        }
        LeakSummary leaks = null;
        if (tracked != null) {
            List<ModuleThread> running = tracked.runningThreads();
            if (!running.isEmpty()) {
                steps.add(TrackedSteps.threadsRefused(running));
                return new UnloadReport(module.name(), UnloadReport.Outcome.REFUSED, steps,
                        List.of("module threads still running: " + TrackedSteps.describe(running)), null, running);
            }
        }
        if (relib.unloadable()) {
            RelibUnloadSteps.teardown(relib, steps);
            steps.add(RelibUnloadSteps.exit(relib, request.keepLeaks(), request.strict() && request.strictAll()));
        }
        if (tracked != null) {
            // Beyond relib_host: what the agent saw the module allocate through malloc that relib's exit left.
            steps.add(beyondRelib(tracked.runDestructors()));
            leaks = tracked.leaks(request.keepLeaks());
            steps.add(beyondRelib(tracked.freeLeaks(leaks, request.keepLeaks(), request)));
            steps.add(beyondRelib(tracked.unmapLeaks(leaks, request.keepLeaks(), request)));
            steps.add(beyondRelib(tracked.closeFds(leaks, request.keepLeaks(), request)));
            tracked.detach();
        }
        String closeError = linker.close(target.handle());
        if (tracked != null) {
            tracked.forget();
        }
        if (closeError != null) {
            steps.add(new UnloadStep("dlclose", Outcome.FAILED, closeError + " (relib: UnloadError::Libloading)"));
            return new UnloadReport(module.name(), UnloadReport.Outcome.STILL_MAPPED, steps, List.of(closeError), leaks,
                    List.of());
        }
        steps.add(new UnloadStep("dlclose", Outcome.PASSED, "handle released"));
        return finalCheck(target, steps, leaks, request);
    }

    /** The agent's step, renamed and labelled as going beyond relib_host. */
    private static UnloadStep beyondRelib(UnloadStep step) {
        return new UnloadStep("agent_" + step.name(), step.outcome(), "beyond relib_host, the agent: " + step.detail());
    }

    /** The file that was dlopened must be mapped nowhere in the process any more. */
    private UnloadReport finalCheck(UnloadTarget target, List<UnloadStep> steps, LeakSummary leaks,
                                    UnloadRequest request) {
        ModuleInfo module = target.info();
        List<Mapping> left = provenUnmapped(module, leaks, request) ? List.of()
                : ProcessMaps.mappingsOf(module.loadedFromIdentity());
        if (left.isEmpty()) {
            steps.add(new UnloadStep("final_check", Outcome.PASSED, module.loadedFrom().getFileName() + " is no longer mapped"));
            return new UnloadReport(module.name(), UnloadReport.Outcome.UNLOADED, steps, List.of(), leaks, List.of());
        }
        List<String> reasons = new ArrayList<>(diagnosis.reasons(module, target.elf(), target.otherModules(), 0));
        if (reasons.isEmpty() && diagnosis.stillReferenced(module.loadedFrom())) {
            reasons.add("another dlopen reference to it is still open");
        }
        if (reasons.isEmpty()) {
            reasons.add(module.tracked() ? "no known cause found; see its mappings with: maps"
                    : "no known cause found; an untracked module's thread-local destructors or pthread keys "
                    + "pin it (load it tracked to have them handled)");
        }
        long bytes = left.stream().mapToLong(Mapping::length).sum();
        steps.add(new UnloadStep("final_check", Outcome.FAILED, "still mapped: " + left.size() + " mapping"
                + (left.size() == 1 ? "" : "s") + ", " + bytes + " bytes"));
        return new UnloadReport(module.name(), UnloadReport.Outcome.STILL_MAPPED, steps, reasons, leaks, List.of());
    }

    /**
     * The proof that costs no read of /proc/self/maps (a third of a reload cycle): glibc unmaps an
     * object before it drops its link map, so a shadow copy (a private file that nothing else opens)
     * that glibc no longer knows is mapped nowhere, once the agent has also unmapped every mapping
     * the module made itself. Untracked modules, --no-copy files and kept leaked mappings are
     * checked against /proc/self/maps.
     */
    private boolean provenUnmapped(ModuleInfo module, LeakSummary leaks, UnloadRequest request) {
        boolean shadowCopy = !module.loadedFrom().equals(module.source());
        boolean ownMappingsGone = leaks != null && (leaks.mappings() == 0 || !request.keepLeaks());
        return module.tracked() && shadowCopy && ownMappingsGone && !linker.isListed(module.loadedFrom());
    }
}
