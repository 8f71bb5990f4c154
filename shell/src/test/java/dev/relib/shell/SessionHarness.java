package dev.relib.shell;

import dev.relib.engine.Engine;
import dev.relib.engine.model.ModuleOutput;
import dev.relib.shell.render.HumanRenderer;
import dev.relib.shell.render.JsonRenderer;
import dev.relib.shell.render.Renderer;
import dev.relib.shell.render.Style;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/** A session whose output is captured, for tests. */
public final class SessionHarness implements AutoCloseable {

    public final StringWriter out = new StringWriter();
    public final StringWriter err = new StringWriter();
    public final InMemoryHistory history = new InMemoryHistory();
    public final Session session;
    public final EngineHandle handle;

    private SessionHarness(Function<Consumer<ModuleOutput>, Engine> engine, boolean json, boolean keepGoing) {
        Renderer renderer = json ? new JsonRenderer(new PrintWriter(out))
                : new HumanRenderer(new PrintWriter(out), new PrintWriter(err), Style.plain());
        ModuleOutputRelay moduleOutput = new ModuleOutputRelay();
        moduleOutput.renderTo(renderer);
        handle = new EngineHandle(() -> engine.apply(moduleOutput));
        session = new Session(handle, renderer, history, keepGoing);
    }

    private SessionHarness(Supplier<Engine> engine, boolean json, boolean keepGoing) {
        this(moduleOutput -> engine.get(), json, keepGoing);
    }

    /** A session on a real engine of {@code mode}, module output rendered with the rest. */
    public static SessionHarness human(EngineFactory.Mode mode) {
        return new SessionHarness(moduleOutput -> EngineFactory.create(mode, moduleOutput), false, false);
    }

    public static SessionHarness json(EngineFactory.Mode mode) {
        return new SessionHarness(moduleOutput -> EngineFactory.create(mode, moduleOutput), true, false);
    }

    public static SessionHarness human(Supplier<Engine> engine) {
        return new SessionHarness(engine, false, false);
    }

    public static SessionHarness human(Supplier<Engine> engine, boolean keepGoing) {
        return new SessionHarness(engine, false, keepGoing);
    }

    public static SessionHarness json(Supplier<Engine> engine, boolean keepGoing) {
        return new SessionHarness(engine, true, keepGoing);
    }

    /** An engine supplier that fails the test if anything starts the engine. */
    public static Supplier<Engine> noEngine() {
        return () -> {
            throw new AssertionError("this command must not start the engine");
        };
    }

    public int run(String script) {
        return session.runScript(script, true, false);
    }

    /** Clears captured output so the next assertion sees only what follows. */
    public void clear() {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
    }

    @Override
    public void close() {
        session.close();
    }
}
