package dev.relib.inspectors.symbols;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs binutils commands (strip, objcopy, c++filt) that make test variants of the samples. */
final class Tools {

    private Tools() {
    }

    static void run(String... command) throws IOException, InterruptedException {
        output(command);
    }

    /** Runs {@code command} and returns what it printed. */
    static String output(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
