package dev.relib.engine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A dead worker's directory stays while the shell that started it runs (its backtrace is
 * symbolized from the shadow copies in it), whatever other shells start meanwhile; once both are
 * gone, the next shell to start a worker removes it.
 */
class WorkerDirectoriesTest {

    @Test
    void aDeadWorkersDirectoryStaysWhileItsShellRunsAndGoesWithIt() throws Exception {
        long deadWorker = deadPid();
        long deadShell = deadPid();
        Path kept = Files.createTempDirectory(WorkerDirectories.PREFIX);
        Path abandoned = Files.createTempDirectory(WorkerDirectories.PREFIX);
        try {
            WorkerDirectories.claim(kept, deadWorker);
            Files.writeString(kept.resolve("libmodule.so"), "a shadow copy");
            WorkerDirectories.claim(abandoned, deadWorker);
            Files.writeString(abandoned.resolve("worker.pid"), deadWorker + " " + deadShell);

            WorkerDirectories.removeAbandoned();

            assertThat(kept.resolve("libmodule.so")).as("this shell still runs").exists();
            assertThat(abandoned).as("worker and shell both gone").doesNotExist();
        } finally {
            WorkerDirectories.delete(kept);
            WorkerDirectories.delete(abandoned);
        }
    }

    /** The pid of a process that has ended (and been reaped). */
    private static long deadPid() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }
}
