package dev.relib.shell;

import dev.relib.engine.model.ModuleOutput;
import dev.relib.shell.render.Renderer;
import java.util.function.Consumer;

/**
 * Hands what modules print in the worker to the session's renderer. The engine is made before the
 * REPL's renderer exists (completion needs the handle), so the renderer is attached afterwards;
 * the engine starts lazily, on the first command, by which time it always is.
 */
public final class ModuleOutputRelay implements Consumer<ModuleOutput> {

    private volatile Renderer renderer;

    public void renderTo(Renderer renderer) {
        this.renderer = renderer;
    }

    @Override
    public void accept(ModuleOutput line) {
        Renderer target = renderer;
        if (target != null) {
            target.moduleOutput(line);
        }
    }
}
