package dev.relib.shell.render;

import dev.relib.engine.model.ModuleOutput;

/**
 * Where every command's output goes: tables for people ({@link HumanRenderer}) or one JSON object
 * per command for programs ({@link JsonRenderer}). Commands never print.
 */
public interface Renderer {

    /** A script is about to run this command; people see it echoed, programs see it in the JSON line. */
    void echo(String command);

    /** @param output what the command produced, or null when it failed before producing anything
     *  @param failure why it failed, or null when it succeeded */
    void render(String command, Output output, Failure failure);

    /**
     * A line a module printed in the worker process, marked as the module's. Called from the
     * worker's output threads, before the answer to the request that printed it is rendered.
     */
    void moduleOutput(ModuleOutput line);

    /**
     * What a background task produced on its own thread (a {@code watch} reload), not in answer to
     * a command: printed the way module output is, above the line being typed in the REPL.
     *
     * @param origin what produced it, in the place of a command ({@code watch versioned})
     */
    void background(String origin, Output output, Failure failure);
}
