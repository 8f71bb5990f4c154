package dev.relib.shell;

import dev.relib.engine.Engine;
import dev.relib.shell.render.HumanRenderer;
import dev.relib.shell.render.JsonRenderer;
import dev.relib.shell.render.Renderer;
import dev.relib.shell.render.Style;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;

/** A session whose output is captured, for tests. */
public final class SessionHarness implements AutoCloseable {

    public final StringWriter out = new StringWriter();
    public final StringWriter err = new StringWriter();
    public final InMemoryHistory history = new InMemoryHistory();
    public final Session session;

    private SessionHarness(Supplier<Engine> engine, boolean json, boolean keepGoing) {
        Renderer renderer = json ? new JsonRenderer(new PrintWriter(out))
                : new HumanRenderer(new PrintWriter(out), new PrintWriter(err), Style.plain());
        session = new Session(new EngineHandle(engine), renderer, history, keepGoing);
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
