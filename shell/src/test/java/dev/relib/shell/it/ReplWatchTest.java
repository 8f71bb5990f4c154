package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.shell.EngineFactory;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.EngineHandle;
import dev.relib.shell.ModuleOutputRelay;
import dev.relib.shell.Session;
import dev.relib.shell.command.SessionCommands;
import dev.relib.shell.render.Style;
import dev.relib.shell.repl.Repl;
import dev.relib.shell.repl.ShellCompleter;
import dev.relib.shell.repl.TerminalIO;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A watch's report arrives while a line is half typed: it prints above the prompt and the line survives. */
@Timeout(60)
class ReplWatchTest {

    @Test
    void aReloadReportPrintsAboveTheLineBeingTypedInTheWorkerEngine(@TempDir Path dir) throws Exception {
        Path module = dir.resolve("libversioned.so");
        Rebuilds.replaceByRename(module, Rebuilds.versioned(1));
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream input = new PipedInputStream(keyboard, 1 << 16);
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        ModuleOutputRelay moduleOutput = new ModuleOutputRelay();
        try (EngineHandle engine = new EngineHandle(() -> EngineFactory.create(Mode.WORKER, moduleOutput));
             TerminalIO io = TerminalIO.streams(input, terminal, new PrintWriter(new StringWriter(), true), null,
                     new ShellCompleter(SessionCommands.model(), engine::ifStarted));
             Session session = new Session(engine, ReplWithModulesTest.renderer(io, moduleOutput), io.history(),
                     false)) {
            CompletableFuture<Integer> repl = CompletableFuture.supplyAsync(() -> new Repl(session, io, Style.plain()).run());
            type(keyboard, "load " + module + "\nsig version() -> i32\nwatch --settle 150ms\n");
            awaitOutput(terminal, "watching versioned");
            type(keyboard, "call vers");

            Rebuilds.replaceByRename(module, Rebuilds.versioned(2));
            awaitOutput(terminal, "final_check");
            type(keyboard, "ion\n");
            awaitOutput(terminal, "2\n" + Repl.PROMPT);
            keyboard.close();
            assertThat(repl.get()).isZero();
        }
        String out = terminal.toString(StandardCharsets.UTF_8);
        int report = out.indexOf("[watch versioned] reloaded versioned: generation 1 -> 2");
        assertThat(report).as(out).isPositive();
        assertThat(out.substring(report)).as("the prompt and the half-typed line are drawn again below the report")
                .contains(Repl.PROMPT + "call vers");
    }

    private static void type(PipedOutputStream keyboard, String text) throws Exception {
        keyboard.write(text.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    private static void awaitOutput(ByteArrayOutputStream terminal, String text) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (!terminal.toString(StandardCharsets.UTF_8).contains(text)) {
            assertThat(System.nanoTime()).as("waited for %s in %s", text, terminal).isLessThan(end);
            Thread.sleep(50);
        }
    }
}
