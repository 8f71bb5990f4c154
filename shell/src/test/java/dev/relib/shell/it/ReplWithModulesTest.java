package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.shell.EngineFactory;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.EngineHandle;
import dev.relib.shell.ModuleOutputRelay;
import dev.relib.shell.Session;
import dev.relib.shell.command.SessionCommands;
import dev.relib.shell.render.HumanRenderer;
import dev.relib.shell.render.Style;
import dev.relib.shell.repl.HistoryFile;
import dev.relib.shell.repl.Repl;
import dev.relib.shell.repl.ShellCompleter;
import dev.relib.shell.repl.TerminalIO;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The REPL on a real line reader and each real engine: errors, history, completion of what is loaded. */
@Timeout(60)
class ReplWithModulesTest {

    /** What the REPL renders through, with module output printed above the line being typed. */
    static HumanRenderer renderer(TerminalIO io, ModuleOutputRelay moduleOutput) {
        HumanRenderer renderer = new HumanRenderer(io.out(), io.err(), Style.plain(), io::printAbove);
        moduleOutput.renderTo(renderer);
        return renderer;
    }

    @EachEngine
    void badInputsLeaveTheReplUsableAndTheHistoryKept(Mode mode, @TempDir Path dir) throws Exception {
        Path historyFile = HistoryFile.prepare(dir.resolve("relib/history"));
        String input = String.join("\n",
                "load " + dir.resolve("libmissing.so"),
                "load " + Fixtures.SHEEP,
                "call count_sheep(u32) -> &str 1 2",
                "call count_sheep(u32) -> &str 3",
                "unload",
                "history",
                "");
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        ModuleOutputRelay moduleOutput = new ModuleOutputRelay();
        try (EngineHandle engine = new EngineHandle(() -> EngineFactory.create(mode, moduleOutput));
             TerminalIO io = TerminalIO.streams(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                     terminal, new PrintWriter(err, true), historyFile,
                     new ShellCompleter(SessionCommands.model(), engine::ifStarted));
             Session session = new Session(engine, renderer(io, moduleOutput), io.history(), false)) {
            assertThat(new Repl(session, io, Style.plain()).run()).isZero();
        }
        String out = terminal.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("\"Many\"", "unloaded sheep; final check passed", "3  call count_sheep(u32) -> &str 1 2");
        assertThat(err.toString().lines()).containsExactly(
                "error: " + dir.resolve("libmissing.so") + ": no such file; check the path (cargo puts cdylibs in target/debug/)",
                "error: count_sheep(u32) -> &str takes 1 argument, 2 given");
        assertThat(Files.readString(historyFile)).contains("call count_sheep(u32) -> &str 3", "libmissing.so");
    }

    @EachEngine
    void completionOffersLoadedModulesAndTheirExports(Mode mode) {
        try (EngineHandle engine = new EngineHandle(() -> EngineFactory.create(mode, line -> { }))) {
            ShellCompleter completer = new ShellCompleter(SessionCommands.model(), engine::ifStarted);
            assertThat(completer.candidates(List.of("call", ""), 1)).isEmpty();
            engine.get().load(dev.relib.engine.model.LoadRequest.of(Fixtures.SHEEP));
            assertThat(completer.candidates(List.of("call", ""), 1)).containsExactly("count_sheep");
            assertThat(completer.candidates(List.of("unload", ""), 1)).containsExactly("sheep", "#1");
            engine.get().load(dev.relib.engine.model.LoadRequest.of(Fixtures.CSTR));
            assertThat(completer.candidates(List.of("sig", ""), 1))
                    .contains("sheep.count_sheep", "cstr.str_length", "cstr.greeting");
        }
    }

    @EachEngine
    void completionOffersMainForAnSdkModule(Mode mode) {
        try (EngineHandle engine = new EngineHandle(() -> EngineFactory.create(mode, line -> { }))) {
            ShellCompleter completer = new ShellCompleter(SessionCommands.model(), engine::ifStarted);
            engine.get().load(dev.relib.engine.model.LoadRequest.of(dev.relib.engine.testing.SampleModules.rust("hello")));
            assertThat(completer.candidates(List.of("call", ""), 1)).contains("main", "add", "greet");
            assertThat(completer.candidates(List.of("panics", ""), 1)).containsExactly("hello", "#1");
            assertThat(completer.candidates(List.of("import", ""), 1)).containsExactlyInAnyOrder("stub", "list");
        }
    }
}
