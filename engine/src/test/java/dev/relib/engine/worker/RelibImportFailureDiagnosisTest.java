package dev.relib.engine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.model.CrashReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** relib's "host panicked while executing import" abort, as the worker's last output shows it. */
class RelibImportFailureDiagnosisTest {

    @Test
    void namesTheImportThatFailed() {
        CrashReport report = CrashDiagnosis.of("call Exports::call_host_panic", 128 + 6, List.of(
                "stdout: [module] hello world (no unloading)",
                "stderr: [relib] host panicked while executing import \"panic\" of module, aborting"));

        assertThat(report.signal()).isEqualTo("SIGABRT");
        assertThat(report.cause()).startsWith("the module aborted the process (SIGABRT): the host's import \"panic\" failed")
                .contains("host panicked while executing import");
        assertThat(report.lastOutput()).last().asString().contains("[relib] host panicked");
    }

    @Test
    void anOrdinaryAbortKeepsItsPanicHint() {
        CrashReport report = CrashDiagnosis.of("call boom", 128 + 6, List.of(
                "stderr: thread 'main' panicked at src/lib.rs:1:1:", "stderr: boom"));

        assertThat(report.cause()).doesNotContain("import").contains("boom");
    }
}
