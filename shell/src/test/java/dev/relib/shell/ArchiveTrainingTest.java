package dev.relib.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The training session the launcher runs to make the class-data archives, through a real worker
 * and the module the jar ships: every command does what it is there to exercise, so that the
 * archives keep holding those paths as commands change.
 */
class ArchiveTrainingTest {

    @Test
    void everyCommandOfTheTrainingRunsAndOnlyTheDeliberateFailureFails() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProcessStreams streams = new ProcessStreams(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("NO_COLOR", "1"), false, false);

        assertThat(ArchiveTraining.run(streams, EngineFactory::create)).isZero();

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("error:")))
                .singleElement().asString().contains("no export 'training_missing'");
        assertThat(printed).contains("ok: ", "can be loaded", "loaded relib_archive_training (#1)", "plain shared object, 5 exports, tracked",
                "training_add = 0x", "\n5\n", "\"relib archive training\"", "definitely lost",
                "mappings the module made and has not unmapped", "reloaded relib_archive_training: generation 1 -> 2",
                "ok: relib_archive_training would unload", "unloaded relib_archive_training; final check passed",
                "no modules loaded");
    }
}
