package dev.relib.shell.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendererTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void tablesAreAlignedAndPlainWithoutColor() {
        Renderer human = new HumanRenderer(new PrintWriter(out), new PrintWriter(err), Style.plain());
        human.render("modules", Output.of(Map.of())
                .table(List.of("ID", "NAME", "PATH"), List.of(List.of("#1", "sheep", "a.so"), List.of("#12", "c", "b.so")))
                .build(), null);
        assertThat(out.toString().lines()).containsExactly(
                "ID   NAME   PATH",
                "#1   sheep  a.so",
                "#12  c      b.so");
        assertThat(out.toString()).doesNotContain("\u001b[");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aFailureIsOneErrorLineOnStderr() {
        Renderer human = new HumanRenderer(new PrintWriter(out), new PrintWriter(err), Style.plain());
        human.render("load x.so", null, new Failure("load.not_found", "x.so: no such file", 1));
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("error: x.so: no such file" + System.lineSeparator());
    }

    @Test
    void noColorOrANonTerminalTurnsStylingOff() {
        assertThat(Style.detect(Map.of("NO_COLOR", "1"), true).enabled()).isFalse();
        assertThat(Style.detect(Map.of(), false).enabled()).isFalse();
        assertThat(Style.detect(Map.of("NO_COLOR", ""), true).enabled()).isTrue();
        assertThat(Style.detect(Map.of("TERM", "xterm"), true).bold("x")).isEqualTo("\u001b[1mx\u001b[0m");
    }

    record Sample(Path path, Instant at, long address) {
    }

    @Test
    void jsonLinesCarryResultAndErrorInTheDocumentedShape() throws Exception {
        Renderer json = new JsonRenderer(new PrintWriter(out));
        json.render("info", Output.of(new Sample(Path.of("target/libsheep.so"), Instant.parse("2024-05-01T10:00:00Z"), 4096))
                .text("ignored by JSON").build(), null);
        json.render("unload", Output.of(Map.of("module", "sheep")).build(),
                new Failure("unload.refused", "sheep was not unloaded", 3));
        json.render("load nope.so", null, new Failure("load.not_found", "nope.so: no such file", 1));

        List<JsonNode> lines = out.toString().lines().map(RendererTest::parse).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("command").asText()).isEqualTo("info");
        assertThat(lines.get(0).get("ok").asBoolean()).isTrue();
        assertThat(lines.get(0).get("result").get("path").asText()).isEqualTo("target/libsheep.so");
        assertThat(lines.get(0).get("result").get("at").asText()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(lines.get(0).has("error")).isFalse();
        assertThat(lines.get(1).get("ok").asBoolean()).isFalse();
        assertThat(lines.get(1).get("result").get("module").asText()).isEqualTo("sheep");
        assertThat(lines.get(1).get("error").get("code").asText()).isEqualTo("unload.refused");
        assertThat(lines.get(2).has("result")).isFalse();
        assertThat(lines.get(2).get("error").get("message").asText()).isEqualTo("nope.so: no such file");
    }

    private static JsonNode parse(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
