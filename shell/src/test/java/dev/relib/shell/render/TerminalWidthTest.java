package dev.relib.shell.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.shell.EngineHandle;
import dev.relib.shell.InMemoryHistory;
import dev.relib.shell.Session;
import dev.relib.shell.SessionHarness;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tables, fields and help fit the terminal's width, broken at spaces and never inside a word. */
class TerminalWidthTest {

    private static final String LONG = "the quick brown fox jumps over the lazy dog and keeps on running past the"
            + " edge of any terminal window that is narrower than this sentence is long";

    private final StringWriter out = new StringWriter();

    private HumanRenderer renderer(int columns) {
        return new HumanRenderer(new PrintWriter(out), new PrintWriter(new StringWriter()), Style.plain(),
                Style.plain(), () -> columns, null);
    }

    @Test
    void aWideTablesLastColumnWrapsAtSpacesUnderItself() {
        renderer(60).render("exports", Output.of(Map.of())
                .table(List.of("NAME", "SIZE", "SIGNATURE"), List.of(List.of("spin", "42", LONG))).build(), null);

        List<String> lines = out.toString().lines().toList();
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(60));
        assertThat(lines.get(1)).startsWith("spin  42    the quick brown");
        int column = lines.get(0).indexOf("SIGNATURE");
        assertThat(lines.subList(2, lines.size())).allSatisfy(line ->
                assertThat(line).startsWith(" ".repeat(column)).doesNotStartWith(" ".repeat(column + 1)));
        assertThat(words(lines.subList(1, lines.size()))).isEqualTo(words(List.of("spin 42 " + LONG)));
    }

    @Test
    void fieldValuesWrapInTheirColumnAndAWordLongerThanTheRoomStaysWhole() {
        String path = "/a/path/that/is/longer/than/the/room/left/for/values/in/a/narrow/terminal/libx.so";
        renderer(50).render("info", Output.of(Map.of())
                .fields(List.of(new Block.Field("about", LONG), new Block.Field("path", path))).build(), null);

        List<String> lines = out.toString().lines().toList();
        assertThat(lines).filteredOn(line -> !line.contains(path))
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(50));
        assertThat(lines).anyMatch(line -> line.endsWith(path));
        assertThat(words(lines)).isEqualTo(words(List.of("about: " + LONG, "path: " + path)));
    }

    @Test
    void withoutAKnownWidthNothingIsWrapped() {
        renderer(0).render("exports", Output.of(Map.of())
                .table(List.of("NAME", "SIGNATURE"), List.of(List.of("spin", LONG))).build(), null);
        assertThat(out.toString().lines()).hasSize(2);
    }

    @Test
    void helpAndUsageFitTheTerminalAndKeepEveryWordWhole() {
        for (String command : List.of("help", "help load", "call --help")) {
            String wide = helpText(command, 400);
            String narrow = helpText(command, 60);
            assertThat(narrow.lines()).as(command)
                    .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(60));
            assertThat(words(narrow.lines().toList())).as(command).isEqualTo(words(wide.lines().toList()));
        }
    }

    private static String helpText(String command, int columns) {
        StringWriter text = new StringWriter();
        HumanRenderer renderer = new HumanRenderer(new PrintWriter(text), new PrintWriter(new StringWriter()),
                Style.plain(), Style.plain(), () -> columns, null);
        try (Session session = new Session(new EngineHandle(SessionHarness.noEngine()), renderer,
                new InMemoryHistory(), false)) {
            session.fitTo(() -> columns);
            assertThat(session.runScript(command, false, false)).isZero();
        }
        return text.toString();
    }

    /** The text's words in order, however it was broken into lines. */
    private static List<String> words(List<String> lines) {
        return List.of(String.join(" ", lines).strip().split("\\s+"));
    }
}
