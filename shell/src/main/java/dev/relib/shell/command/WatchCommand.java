package dev.relib.shell.command;

import dev.relib.engine.model.ModuleInfo;
import dev.relib.shell.CommandFailedException;
import dev.relib.shell.UsageException;
import dev.relib.shell.parse.DurationConverter;
import dev.relib.shell.render.Output;
import dev.relib.shell.watch.ModuleWatches;
import dev.relib.shell.watch.WatchStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "watch", description = "Reload a module whenever its file changes and the new file is complete "
        + "and stable; reports print above the prompt. With no MOD while watches run, or with --list, list them.")
public final class WatchCommand implements ShellCommand {

    static final Duration DEFAULT_SETTLE = Duration.ofMillis(300);

    @Mixin
    HelpOption help;

    @Mixin
    ModuleOption module;

    @Option(names = "--off", description = "Stop watching MOD (every watched module when MOD is left out).")
    boolean off;

    @Option(names = "--list", description = "List the watched modules.")
    boolean list;

    @Option(names = "--settle", paramLabel = "D", converter = DurationConverter.class,
            description = "How long the file's size and time must stay unchanged before it is reloaded "
                    + "(default: 300ms).")
    Duration settle;

    @Override
    public Output run(SessionContext session) {
        ModuleWatches watches = session.watches();
        if (off) {
            return stop(watches);
        }
        if (list || (module.ref().isImplied() && settle == null && !watches.list().isEmpty())) {
            return list(watches.list());
        }
        Duration wait = settle == null ? DEFAULT_SETTLE : settle;
        if (wait.isNegative() || wait.isZero()) {
            throw new UsageException("watch: --settle must be positive, was " + wait);
        }
        ModuleInfo info = session.engine().info(module.ref());
        WatchStatus status = watches.start(info, wait);
        return Output.of(status).text("watching " + status.module() + ": reloads when " + status.file()
                + " changes and has been stable for " + status.settle().toMillis() + " ms (watch --off "
                + status.module() + " stops)").build();
    }

    private Output stop(ModuleWatches watches) {
        if (module.ref().isImplied()) {
            List<WatchStatus> stopped = watches.stopAll();
            return Output.of(Map.of("stopped", stopped)).text(stopped.isEmpty() ? "nothing was watched"
                    : "stopped watching " + String.join(", ", stopped.stream().map(WatchStatus::module).toList()))
                    .build();
        }
        String name = module.module;
        if (!watches.stop(name)) {
            throw new CommandFailedException("watch.not_watched", name + " is not watched; watch lists what is");
        }
        return Output.of(Map.of("stopped", List.of(name))).text("stopped watching " + name).build();
    }

    private static Output list(List<WatchStatus> watched) {
        if (watched.isEmpty()) {
            return Output.of(Map.of("watches", watched)).text("nothing is watched; watch MOD starts").build();
        }
        return Output.of(Map.of("watches", watched))
                .table(List.of("MODULE", "FILE", "SETTLE", "SINCE", "RELOADS", "LAST"), watched.stream()
                        .map(w -> List.of(w.module(), w.file().toString(), w.settle().toMillis() + " ms",
                                Quantities.time(w.since()), Integer.toString(w.reloads()),
                                w.lastOutcome() == null ? "-" : w.lastOutcome().toLowerCase()))
                        .toList())
                .build();
    }
}
