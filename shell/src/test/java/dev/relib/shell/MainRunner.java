package dev.relib.shell;

import dev.relib.engine.Engine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/** Runs {@link Main} in this JVM with captured streams. */
public final class MainRunner {

    public record Run(int exit, String out, String err) {
    }

    private MainRunner() {
    }

    /** Runs with standard input that is not a terminal, holding {@code stdin}; every mode gets {@code engine}. */
    public static Run run(Supplier<Engine> engine, String stdin, String... args) {
        return run((mode, moduleOutput) -> engine.get(), stdin, args);
    }

    /** Runs with the real engines: the worker unless {@code args} hold --in-process. */
    public static Run run(EngineFactory.Starter engines, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProcessStreams process = new ProcessStreams(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("NO_COLOR", "1"), false, false);
        int exit = new Main(process, engines).run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
