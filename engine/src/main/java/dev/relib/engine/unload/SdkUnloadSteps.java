package dev.relib.engine.unload;

import dev.relib.engine.model.SdkInfo.EntryOutcome;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.model.UnloadStep.Outcome;
import dev.relib.engine.sdk.SdkSession;
import java.util.List;
import java.util.Optional;

/**
 * The SDK's part of the unload: {@code before_unload} first (a panic or an error refuses the
 * unload, as relib does, and the module stays loaded and usable), then {@code relib_sdk_fini}, so
 * what the SDK itself holds is not reported as the module's leak.
 */
final class SdkUnloadSteps {

    static final String BEFORE_UNLOAD = "before_unload";
    static final String FINI = "sdk_fini";

    private SdkUnloadSteps() {
    }

    /** Runs before_unload and records the step; the refusal's reason when it did not succeed. */
    static Optional<String> beforeUnload(UnloadTarget target, List<UnloadStep> steps) {
        Optional<SdkSession> sdk = target.sdk();
        if (sdk.isEmpty()) {
            steps.add(new UnloadStep(BEFORE_UNLOAD, Outcome.SKIPPED, "not an SDK module"));
            return Optional.empty();
        }
        EntryOutcome outcome = sdk.get().runBeforeUnload();
        return switch (outcome.status()) {
            case NOT_EXPORTED -> {
                steps.add(new UnloadStep(BEFORE_UNLOAD, Outcome.SKIPPED, "the module has no before_unload"));
                yield Optional.empty();
            }
            case OK -> {
                steps.add(new UnloadStep(BEFORE_UNLOAD, Outcome.PASSED, "before_unload ran"));
                yield Optional.empty();
            }
            case PANICKED -> {
                String reason = "before_unload panicked: " + outcome.message();
                steps.add(new UnloadStep(BEFORE_UNLOAD, Outcome.FAILED, reason));
                yield Optional.of(reason);
            }
            case FAILED -> {
                String reason = "before_unload returned an error (see the log)";
                steps.add(new UnloadStep(BEFORE_UNLOAD, Outcome.FAILED, reason));
                yield Optional.of(reason);
            }
        };
    }

    static void fini(UnloadTarget target, List<UnloadStep> steps) {
        target.sdk().ifPresentOrElse(sdk -> {
            sdk.fini();
            steps.add(new UnloadStep(FINI, Outcome.PASSED, "the SDK released its own memory"));
        }, () -> steps.add(new UnloadStep(FINI, Outcome.SKIPPED, "not an SDK module")));
    }
}
