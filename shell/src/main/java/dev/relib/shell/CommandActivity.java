package dev.relib.shell;

/**
 * Told when each command of a session starts and ends, and asked before each one whether the
 * script must stop: how Ctrl-C ({@link dev.relib.shell.control.CommandInterrupts}) knows what runs.
 */
public interface CommandActivity {

    /** No one is watching: nothing ever asks a script to stop. */
    CommandActivity NONE = new CommandActivity() {
        @Override
        public void started(ScriptLocation location, String command) {
        }

        @Override
        public void finished() {
        }

        @Override
        public boolean stopRequested() {
            return false;
        }
    };

    void started(ScriptLocation location, String command);

    void finished();

    /** True once the running script must end (exit code {@link ExitCode#INTERRUPTED}) before its next command. */
    boolean stopRequested();
}
