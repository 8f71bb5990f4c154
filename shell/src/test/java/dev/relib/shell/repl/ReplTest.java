package dev.relib.shell.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.shell.EngineHandle;
import dev.relib.shell.Session;
import dev.relib.shell.SessionHarness;
import dev.relib.shell.command.SessionCommands;
import dev.relib.shell.render.HumanRenderer;
import dev.relib.shell.render.Style;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ReplTest {

    private static Session session(ShellIO io) {
        return new Session(new EngineHandle(SessionHarness.noEngine()),
                new HumanRenderer(io.out(), io.err(), Style.plain()), io.history(), false);
    }

    @Test
    @Timeout(10)
    void errorsNeverEndTheLoopAndCtrlDQuits() {
        LinesIO io = new LinesIO("bogus", "load", LinesIO.CTRL_C, "help history", "history");
        try (Session session = session(io)) {
            assertThat(new Repl(session, io, Style.plain()).run()).isZero();
        }
        assertThat(io.err.toString().lines()).hasSize(2).allMatch(l -> l.startsWith("error: "));
        assertThat(io.out.toString()).contains("Usage: relib history", "1  bogus", "2  load", "3  help history");
        assertThat(io.prompts).hasSize(6).allMatch(p -> p.equals(Repl.PROMPT));
    }

    @Test
    @Timeout(10)
    void quitEndsTheLoopAndALineMayHoldSeveralCommands() {
        LinesIO io = new LinesIO("help quit; quit", "help");
        try (Session session = session(io)) {
            new Repl(session, io, Style.plain()).run();
        }
        assertThat(io.prompts).hasSize(1);
        assertThat(io.out.toString()).contains("Usage: relib quit");
    }

    @Test
    @Timeout(20)
    void theLineReaderKeepsHistoryInAnOwnerOnlyFileAcrossSessions(@TempDir Path dir) throws Exception {
        Path historyFile = HistoryFile.prepare(dir.resolve("state/relib/history"));
        String first = drive(historyFile, "help modules\nbogus\n");
        assertThat(first).contains("Usage: relib modules");
        assertThat(Files.readAllLines(historyFile)).anyMatch(l -> l.endsWith("help modules"))
                .anyMatch(l -> l.endsWith("bogus"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(historyFile))).isEqualTo("rw-------");

        String second = drive(historyFile, "history\n");
        assertThat(second).contains("help modules", "bogus", "history");
    }

    private static String drive(Path historyFile, String input) throws Exception {
        ByteArrayOutputStream terminalOut = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        ShellCompleter completer = new ShellCompleter(SessionCommands.model(), Optional::empty);
        try (TerminalIO io = TerminalIO.streams(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                terminalOut, new PrintWriter(err, true), historyFile, completer);
             Session session = session(io)) {
            new Repl(session, io, Style.plain()).run();
        }
        return terminalOut.toString(StandardCharsets.UTF_8);
    }
}
