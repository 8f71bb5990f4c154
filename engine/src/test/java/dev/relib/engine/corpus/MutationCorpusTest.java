package dev.relib.engine.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.testing.SampleModules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged copies of the sample modules through check load, load, info, exports and unload in a
 * worker: no copy may take the worker down or hang it, and none may meet an internal error. CI runs
 * a small corpus; {@code -Drelib.corpus.size=700} (and {@code -Drelib.corpus.seed=N}) runs the
 * issue's size, and the table of outcomes is printed either way.
 */
class MutationCorpusTest {

    private static final int SIZE = Integer.getInteger("relib.corpus.size", 52);
    private static final long SEED = Long.getLong("relib.corpus.seed", 15);

    @Test
    @Timeout(value = 3600)
    void damagedModulesNeverCrashOrHangTheWorker(@TempDir Path dir) {
        List<Path> originals = List.of(SampleModules.c("cstr"), SampleModules.rust("sheep"), SampleModules.rust("hello"),
                SampleModules.c("versioned_v2"));
        List<MutationCorpus.Case> cases = new MutationCorpus(originals, SEED).generate(SIZE);
        List<CorpusRunner.Result> results;
        try (CorpusRunner runner = new CorpusRunner(dir, Duration.ofSeconds(15))) {
            results = runner.run(cases);
        }
        System.out.println("corpus of " + SIZE + " (seed " + SEED + "):\n" + CorpusRunner.table(results));
        List<String> failures = results.stream()
                .filter(r -> r.outcome() != CorpusRunner.Outcome.CLEAN && r.outcome() != CorpusRunner.Outcome.LOADED)
                .map(r -> r.input().name() + " (" + r.input().change() + ") " + r.outcome() + " at " + r.step() + ": "
                        + r.detail())
                .toList();
        failures.forEach(System.out::println);
        assertThat(failures).isEmpty();
    }
}
