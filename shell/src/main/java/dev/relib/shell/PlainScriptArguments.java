package dev.relib.shell;

import dev.relib.shell.parse.PathConverter;
import java.util.Optional;

/**
 * The program's arguments in the shapes a script is run with, read without picocli: its first
 * model costs a JVM that has compiled nothing yet a hundred milliseconds or more, and the script's
 * worker started only after it. Only plain shapes are read (one FILE, {@code -c}/{@code --command},
 * {@code --json}, {@code -k}/{@code --keep-going}), each as picocli reads it
 * (PlainScriptArgumentsTest holds the two side by side); anything else (help, version, completion,
 * {@code --in-process}, an option not listed here, a second FILE, picocli's {@code @FILE} of arguments)
 * reads as no script, and picocli reads it.
 */
final class PlainScriptArguments {

    private PlainScriptArguments() {
    }

    /** The options {@code args} give, if they are for certain a FILE or -c script run with a worker. */
    static Optional<MainOptions> read(String... args) {
        MainOptions options = new MainOptions();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("@")) {
                // Picocli reads the arguments in FILE for an "@FILE", wherever it stands.
                return Optional.empty();
            }
            if (arg.equals("--json") && !options.json) {
                options.json = true;
            } else if ((arg.equals("-k") || arg.equals("--keep-going")) && !options.keepGoing) {
                options.keepGoing = true;
            } else if ((arg.equals("-c") || arg.equals("--command")) && options.commands == null && i + 1 < args.length
                    && !args[i + 1].startsWith("-") && !args[i + 1].startsWith("@")) {
                options.commands = args[++i];
            } else if (arg.startsWith("--command=") && options.commands == null) {
                options.commands = arg.substring("--command=".length());
            } else if (!arg.startsWith("-") && !arg.isEmpty() && options.file == null) {
                options.file = new PathConverter().convert(arg);
            } else {
                return Optional.empty();
            }
        }
        if ((options.file == null) == (options.commands == null)) {
            return Optional.empty();
        }
        return Optional.of(options);
    }
}
