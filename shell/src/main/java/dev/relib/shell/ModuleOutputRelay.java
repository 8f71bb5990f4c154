package dev.relib.shell;

import dev.relib.engine.model.ModuleOutput;
import dev.relib.engine.relib.call.PanicOutput;
import dev.relib.shell.render.Output;
import dev.relib.shell.render.Renderer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Hands what modules print in the worker to the session's renderer. The engine is made before the
 * renderer exists (completion needs the handle; a script's worker starts first thing), so the
 * renderer is attached afterwards, and what arrives before it is kept for it. A panic std prints
 * while no command runs (a module's own thread) also gets a one-line notice, as gdb says
 * "[Thread ... exited]": nobody is waiting on a reply that would mention it.
 */
public final class ModuleOutputRelay implements Consumer<ModuleOutput> {

    private volatile Renderer renderer;
    private volatile boolean commandRunning;
    /** Lines that came before the renderer; guarded by this. */
    private final List<ModuleOutput> early = new ArrayList<>();

    public void renderTo(Renderer renderer) {
        synchronized (this) {
            early.forEach(line -> render(renderer, line));
            early.clear();
            this.renderer = renderer;
        }
    }

    /** {@code inner}, also telling this relay when a command runs. */
    public CommandActivity watching(CommandActivity inner) {
        return new CommandActivity() {
            @Override
            public void started(ScriptLocation location, String command) {
                commandRunning = true;
                inner.started(location, command);
            }

            @Override
            public void finished() {
                inner.finished();
                commandRunning = false;
            }

            @Override
            public boolean stopRequested() {
                return inner.stopRequested();
            }
        };
    }

    @Override
    public void accept(ModuleOutput line) {
        Renderer target = renderer;
        if (target == null) {
            synchronized (this) {
                target = renderer;
                if (target == null) {
                    early.add(line);
                    return;
                }
            }
        }
        render(target, line);
    }

    private void render(Renderer target, ModuleOutput line) {
        target.moduleOutput(line);
        if (!commandRunning && line.stream() == ModuleOutput.Stream.STDERR) {
            PanicOutput.header(line.text()).ifPresent(panic -> target.background("thread panic", notice(panic), null));
        }
    }

    private static Output notice(PanicOutput panic) {
        String location = panic.file() + ":" + panic.line() + ":" + panic.column();
        String id = panic.threadId() == 0 ? "" : " (" + panic.threadId() + ")";
        return Output.of(Map.of("thread", panic.thread(), "threadId", panic.threadId(), "location", location))
                .text("thread '" + panic.thread() + "'" + id + " panicked at " + location
                        + "; the thread ended, the module stays loaded (panics lists it)").build();
    }
}
