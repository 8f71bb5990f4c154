package dev.relib.shell.command;

import dev.relib.engine.Engine;
import dev.relib.shell.CommandHistory;
import dev.relib.shell.SessionSymbols;
import dev.relib.shell.values.ValueHistory;
import dev.relib.shell.watch.ModuleWatches;
import java.nio.file.Path;
import picocli.CommandLine;

/** What a command may use of the session it runs in. */
public interface SessionContext {

    /** The engine, started on first use. */
    Engine engine();

    CommandHistory history();

    /** The session's symbolizer, and the dead worker's crash until restart (for bt and symbol). */
    SessionSymbols symbols();

    /** The modules {@code watch} reloads when their files change; ended with the session. */
    ModuleWatches watches();

    /** What {@code set} changed; lasts for the session. */
    SessionSettings settings();

    /** The picocli model of all commands, for {@code help}. */
    CommandLine commands();

    /** Runs a file's commands in this session; returns the script's exit code (0 when all passed). */
    int source(Path file);

    void requestQuit();

    /** The session's kept values, {@code $1}, {@code $2}, ... */
    ValueHistory values();

    /** Told by {@code load --stacks}; a restart or reload keeps a module's stacks, so it lasts the session. */
    void stacksRequested();

    /**
     * Whether a module of this session may record call stacks: until a {@code load --stacks}, none
     * can, and {@code unload} asks the worker nothing about stacks before it unloads.
     */
    boolean mayHaveStacks();
}
