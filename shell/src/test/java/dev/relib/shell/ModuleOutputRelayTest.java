package dev.relib.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.model.ModuleOutput;
import dev.relib.shell.render.HumanRenderer;
import dev.relib.shell.render.Style;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The notice for a panic std prints while no command runs, and silence otherwise; nothing lost before a renderer. */
class ModuleOutputRelayTest {

    private static final String HEADER = "thread 'relib-panicker' (4711) panicked at threads/src/lib.rs:84:17:";

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final ModuleOutputRelay relay = new ModuleOutputRelay();
    private CommandActivity activity;

    @BeforeEach
    void renderToLines() {
        StringWriter ignored = new StringWriter();
        relay.renderTo(new HumanRenderer(new PrintWriter(ignored), new PrintWriter(ignored), Style.plain(), lines::add));
        activity = relay.watching(CommandActivity.NONE);
    }

    private void stderr(String text) {
        relay.accept(new ModuleOutput(ModuleOutput.Stream.STDERR, text));
    }

    @Test
    void aPanicBetweenCommandsGetsANoticeAfterItsLine() {
        stderr(HEADER);
        stderr("worker gave up on item 7");

        assertThat(lines).containsExactly("[module stderr] " + HEADER,
                "[thread panic] thread 'relib-panicker' (4711) panicked at threads/src/lib.rs:84:17; the thread "
                        + "ended, the module stays loaded (panics lists it)",
                "[module stderr] worker gave up on item 7");
    }

    @Test
    void linesFromBeforeTheRendererExistedReachItInOrder() {
        ModuleOutputRelay early = new ModuleOutputRelay();
        early.accept(new ModuleOutput(ModuleOutput.Stream.STDERR, "OpenJDK warning: sharing is disabled"));
        early.accept(new ModuleOutput(ModuleOutput.Stream.STDOUT, "constructor ran"));
        List<String> rendered = new CopyOnWriteArrayList<>();
        StringWriter ignored = new StringWriter();
        early.renderTo(new HumanRenderer(new PrintWriter(ignored), new PrintWriter(ignored), Style.plain(), rendered::add));
        early.accept(new ModuleOutput(ModuleOutput.Stream.STDOUT, "later"));

        assertThat(rendered).containsExactly("[module stderr] OpenJDK warning: sharing is disabled",
                "[module stdout] constructor ran", "[module stdout] later");
    }

    @Test
    void aPanicWhileACommandRunsIsOnlyItsLines() {
        activity.started(ScriptLocation.typed(), "call panic_on_thread(u32) -> u32 7");
        stderr(HEADER);
        activity.finished();

        assertThat(lines).containsExactly("[module stderr] " + HEADER);
    }

    @Test
    void linesThatOnlyLookLikeAPanicOrComeOnStdoutGetNoNotice() {
        stderr("thread 'relib-panicker' panicked at a bad moment");
        stderr("log: " + HEADER);
        relay.accept(new ModuleOutput(ModuleOutput.Stream.STDOUT, HEADER));

        assertThat(lines).hasSize(3).allSatisfy(line -> assertThat(line).startsWith("[module std"));
    }
}
