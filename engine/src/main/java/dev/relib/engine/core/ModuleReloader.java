package dev.relib.engine.core;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.EngineException;
import dev.relib.engine.loader.FileStamp;
import dev.relib.engine.loader.ShadowCopies;
import dev.relib.engine.model.CheckFinding;
import dev.relib.engine.model.GenerationReport.RetiredGeneration;
import dev.relib.engine.model.ReloadChanges;
import dev.relib.engine.model.ReloadReport;
import dev.relib.engine.model.ReloadReport.Outcome;
import dev.relib.engine.model.ReloadRequest;
import dev.relib.engine.model.UnloadCheckReport;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.relib.RelibSession;
import dev.relib.engine.sdk.SdkSession;
import dev.relib.engine.unload.UnloadDryRun;
import dev.relib.engine.unload.UnloadPipeline;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reload with rollback: the new file is loaded beside the running generation, validated, and only
 * then is the old generation retired through the full unload pipeline. Whatever fails, one
 * generation keeps running. Runs on the owner thread.
 */
final class ModuleReloader {

    private final ModuleRegistry registry;
    private final ModuleLoader loader;
    private final UnloadPipeline pipeline;
    private final UnloadDryRun dryRun;
    private final ShadowCopies shadowCopies;
    private final GenerationHistory history;
    private final ThreadPanics threadPanics;

    ModuleReloader(ModuleRegistry registry, ModuleLoader loader, UnloadPipeline pipeline, UnloadDryRun dryRun,
                   ShadowCopies shadowCopies, GenerationHistory history, ThreadPanics threadPanics) {
        this.registry = registry;
        this.loader = loader;
        this.pipeline = pipeline;
        this.dryRun = dryRun;
        this.shadowCopies = shadowCopies;
        this.history = history;
        this.threadPanics = threadPanics;
    }

    ReloadReport reload(ReloadRequest request) {
        LoadedModule current = registry.resolve(request.module());
        if (!current.request().copy()) {
            return reloadInPlace(current);
        }
        LoadedModule next;
        try {
            next = loader.openNextGeneration(current);
        } catch (EngineException e) {
            return failed(current, e.getMessage());
        }
        String invalid = missingRememberedExports(current, next);
        ReloadChanges changes = ExportDiff.between(current, next);
        if (invalid != null) {
            discard(next);
            return report(current, Outcome.FAILED, 0, invalid, changes, null, null);
        }
        if (request.strict() && !changes.signaturesChanged().isEmpty()) {
            discard(next);
            return report(current, Outcome.REFUSED, 0, "exports changed signature (--strict): "
                    + changes.signaturesChanged().stream().map(c -> c.symbol() + ": " + c.before() + " -> " + c.after())
                    .collect(Collectors.joining("; ")), changes, null, null);
        }
        UnloadCheckReport check = dryRun.run(UnloadTargets.of(registry, current));
        if (!check.wouldUnload()) {
            String blocked = check.findings().stream().filter(CheckFinding::blocking).map(CheckFinding::message)
                    .collect(Collectors.joining("; "));
            if (request.force()) {
                return keepBoth(current, next, changes, blocked);
            }
            discard(next);
            return report(current, Outcome.REFUSED, 0, "the running generation cannot be unloaded (" + blocked
                    + "); it keeps running and the new one was discarded (--force keeps both)", changes, null, null);
        }
        UnloadReport retired = retire(current, next.sourceStamp());
        if (retired.outcome() == UnloadReport.Outcome.REFUSED) {
            discard(next);
            return report(current, Outcome.REFUSED, 0, String.join("; ", retired.reasons()), changes, retired, null);
        }
        next.carryOver(current);
        registry.replace(current, next);
        next.relib().ifPresent(RelibSession::runMainAfterReload);
        return report(current, Outcome.RELOADED, next.generation(), null, changes, retired, null);
    }

    /** Loaded with --no-copy: the file can be opened only once, so the old generation must go first. */
    private ReloadReport reloadInPlace(LoadedModule current) {
        try {
            loader.inspect(current.info().source());
        } catch (EngineException e) {
            return failed(current, e.getMessage());
        }
        UnloadCheckReport check = dryRun.run(UnloadTargets.of(registry, current));
        if (!check.wouldUnload()) {
            return report(current, Outcome.REFUSED, 0, "the running generation cannot be unloaded: "
                    + check.findings().stream().filter(CheckFinding::blocking).map(CheckFinding::message)
                    .collect(Collectors.joining("; ")), null, null, null);
        }
        UnloadReport retired = retire(current, null);
        if (retired.outcome() == UnloadReport.Outcome.REFUSED) {
            return report(current, Outcome.REFUSED, 0, String.join("; ", retired.reasons()), null, retired, null);
        }
        try {
            LoadedModule next = loader.openNextGeneration(current);
            next.carryOver(current);
            registry.replace(current, next);
            next.relib().ifPresent(RelibSession::runMainAfterReload);
            return report(current, Outcome.RELOADED, next.generation(), null, ExportDiff.between(current, next),
                    retired, null);
        } catch (EngineException e) {
            registry.remove(current);
            return report(current, Outcome.FAILED, 0, e.getMessage() + "; loaded with --no-copy, the old generation "
                    + "had to be unloaded first, so the module is no longer loaded", null, retired, null);
        }
    }

    /** --force: the new generation takes the name and id; the old runs on as NAME@GEN. */
    private ReloadReport keepBoth(LoadedModule current, LoadedModule next, ReloadChanges changes, String blocked) {
        String keptAs = current.name() + "@" + current.generation();
        LoadedModule renamed = current.renamed(registry.allocateId(), keptAs);
        next.carryOver(current);
        registry.replace(current, next);
        registry.add(renamed);
        return report(current, Outcome.KEPT_BOTH, next.generation(), "the old generation could not be unloaded ("
                + blocked + "); it keeps running as " + keptAs, changes, null, keptAs);
    }

    /** @param sourceNow the source's stamp as the next generation's load took it; null to take it again */
    private UnloadReport retire(LoadedModule current, FileStamp sourceNow) {
        // Before the agent forgets the old generation's stderr: its threads' panics stay listed.
        threadPanics.collect(current);
        UnloadReport retired = pipeline.run(UnloadTargets.of(registry, current),
                new UnloadRequest(ModuleRef.id(current.id()), false, false));
        if (retired.outcome() != UnloadReport.Outcome.REFUSED) {
            threadPanics.forget(current);
            history.retired(current.id(), new RetiredGeneration(current.generation(), current.info().loadedAt(),
                    Instant.now(), retired.leaks(), retired.outcome()));
            if (retired.outcome() == UnloadReport.Outcome.UNLOADED && current.request().copy()) {
                shadowCopies.retire(current.info().loadedFrom(), sourceNow);
            }
            if (retired.outcome() == UnloadReport.Outcome.UNLOADED) {
                current.sdk().ifPresent(SdkSession::dispose);
                current.relib().ifPresent(RelibSession::dispose);
            }
        }
        return retired;
    }

    /** Tears down a new generation that will not be used, leaving no trace of it. */
    private void discard(LoadedModule next) {
        UnloadReport report = pipeline.run(UnloadTargets.of(registry, next),
                new UnloadRequest(ModuleRef.id(next.id()), false, false));
        if (report.outcome() == UnloadReport.Outcome.UNLOADED) {
            shadowCopies.retire(next.info().loadedFrom(), next.sourceStamp());
            next.sdk().ifPresent(SdkSession::dispose);
            next.relib().ifPresent(RelibSession::dispose);
        }
    }

    /** A remembered signature names an export: a new generation without it would break the user's calls. */
    private static String missingRememberedExports(LoadedModule current, LoadedModule next) {
        List<String> missing = ExportDiff.missingFrom(next.exports(), current.rememberedSignatures().keySet());
        return missing.isEmpty() ? null : "the new file lacks " + String.join(", ", missing)
                + ", which the running generation has and you gave a signature for; the old generation keeps running";
    }

    private static ReloadReport failed(LoadedModule current, String reason) {
        return report(current, Outcome.FAILED, 0, reason + "; the old generation keeps running", null, null, null);
    }

    private static ReloadReport report(LoadedModule current, Outcome outcome, int toGeneration, String reason,
                                       ReloadChanges changes, UnloadReport retired, String keptAs) {
        return new ReloadReport(current.name(), outcome, current.generation(), toGeneration, reason, changes, retired,
                keptAs);
    }
}
