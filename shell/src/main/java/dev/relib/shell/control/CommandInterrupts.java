package dev.relib.shell.control;

import dev.relib.engine.Engine;
import dev.relib.shell.CommandActivity;
import dev.relib.shell.ExitCode;
import dev.relib.shell.ScriptLocation;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * What Ctrl-C (SIGINT) does, as in gdb: never end the shell by itself. At the prompt the line
 * reader drops the line being typed (this class is not involved). While a command runs at the
 * prompt, the first Ctrl-C says that it still runs and what a second one does: end the worker, so
 * the command fails and {@code restart} brings the modules back. In-process there is no worker to
 * end and native code cannot be stopped, so the shell says it keeps waiting.
 *
 * <p>In a script, Ctrl-C stops the script: the command that runs is ended with its worker, and the
 * script ends with exit code {@link ExitCode#INTERRUPTED} once {@link #report()} said where. An
 * in-process call cannot be ended, so then the report is printed at once and the process exits.
 */
public final class CommandInterrupts implements CommandActivity {

    /** A REPL or a script. */
    public enum Mode { INTERACTIVE, SCRIPT }

    private record Running(ScriptLocation location, String command) {
    }

    private final Mode mode;
    private final Supplier<Optional<Engine>> engine;
    private final boolean inWorker;
    private final PrintWriter err;
    private final IntConsumer exit;
    /** Innermost last: a {@code source} command runs the commands of its file. */
    private final Deque<Running> running = new ArrayDeque<>();
    private Running last;
    /** The command a script's Ctrl-C came during, if one ran. */
    private Running interrupted;
    private int pressesDuringCommand;
    private volatile boolean stopRequested;

    /**
     * @param engine   the session's engine if started (Ctrl-C never starts one)
     * @param inWorker the engine runs modules in a worker that Ctrl-C may end
     * @param exit     ends the process (an in-process script whose call cannot be stopped)
     */
    public CommandInterrupts(Mode mode, Supplier<Optional<Engine>> engine, boolean inWorker, PrintWriter err,
                             IntConsumer exit) {
        this.mode = mode;
        this.engine = engine;
        this.inWorker = inWorker;
        this.err = err;
        this.exit = exit;
    }

    @Override
    public synchronized void started(ScriptLocation location, String command) {
        Running now = new Running(location, command);
        running.push(now);
        last = now;
        pressesDuringCommand = 0;
    }

    @Override
    public synchronized void finished() {
        running.poll();
        pressesDuringCommand = 0;
    }

    @Override
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Called on the signal's thread for each Ctrl-C. */
    public synchronized void interrupt() {
        if (mode == Mode.SCRIPT) {
            interruptScript();
        } else if (!running.isEmpty()) {
            interruptCommand(running.peek());
        }
    }

    private void interruptCommand(Running now) {
        pressesDuringCommand++;
        if (!inWorker && pressesDuringCommand == 1) {
            say("'" + now.command() + "' is still running in this process (--in-process), where a call cannot be"
                    + " stopped; the shell waits for it to return (without --in-process, Ctrl-C twice ends the worker)");
        } else if (!inWorker) {
            say("still waiting for '" + now.command() + "'; to give up, end the shell with: kill "
                    + ProcessHandle.current().pid());
        } else if (pressesDuringCommand == 1) {
            say("'" + now.command() + "' is still running in the worker; press Ctrl-C again to end the worker"
                    + " (then type restart to start a new one with the same modules)");
        } else if (pressesDuringCommand == 2) {
            say("ending the worker");
            engine.get().ifPresent(Engine::endRunningRequest);
        }
    }

    private void interruptScript() {
        boolean again = stopRequested;
        stopRequested = true;
        if (!again && !running.isEmpty()) {
            interrupted = running.peek();
        }
        if (running.isEmpty()) {
            // Between commands, or waiting for the next line of a pipe: the script's loop sees the flag.
            return;
        }
        boolean ended = !again && inWorker && engine.get().map(Engine::endRunningRequest).orElse(false);
        if (!ended) {
            // An in-process call cannot be stopped (nor one whose worker does not go): leave now.
            err.println(report());
            err.flush();
            exit.accept(ExitCode.INTERRUPTED);
        }
    }

    /** Where the script stopped, for the line printed before exit code 130. */
    public synchronized String report() {
        Running at = interrupted != null ? interrupted : running.peek();
        if (at != null) {
            return "relib: interrupted (Ctrl-C) at " + at.location() + ": " + at.command();
        }
        if (last == null) {
            return "relib: interrupted (Ctrl-C) before the first command";
        }
        return "relib: interrupted (Ctrl-C) after " + last.location() + ": " + last.command();
    }

    private void say(String message) {
        err.println();
        err.println("relib: " + message);
        err.flush();
    }
}
