package dev.relib.shell.command;

import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.SdkInfo;
import dev.relib.shell.UsageException;
import dev.relib.shell.parse.DurationConverter;
import dev.relib.shell.parse.PathConverter;
import dev.relib.shell.render.Output;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "load", description = "Load a shared object: before-load checks, shadow copy, dlopen, tracking.")
public final class LoadCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "PATH", converter = PathConverter.class,
            description = "The shared object (.so) to load.")
    Path path;

    @Option(names = "--as", paramLabel = "NAME",
            description = "Name the module (default: from the file name, libfoo.so is foo).")
    String as;

    @Option(names = "--no-copy", description = "dlopen the file in place instead of a private shadow copy.")
    boolean noCopy;

    @Option(names = "--untracked", description = "Do not attach the agent: no allocation, thread or mapping tracking.")
    boolean untracked;

    @Option(names = "--lazy-reload", description = "Before each call, reload the module if its file has changed "
            + "(as dymod does), instead of reloading only on reload or watch.")
    boolean lazyReload;

    @Option(names = "--stacks", description = "Record a call stack per allocation, for allocs --stacks and "
            + "allocs --by site (each allocation walks the stack with cached unwind rules: a few times slower; other "
            + "modules are unaffected).")
    boolean stacks;

    @Option(names = "--force", description = "Load a relib module that relib_host would refuse (another relib "
            + "version, mixed unloading flags), after a warning: the shell is a debugging tool.")
    boolean force;

    @Option(names = "--timeout", paramLabel = "D", converter = DurationConverter.class,
            description = "How long loading (constructors, an SDK module's init and main) may take before the worker"
                    + " is killed: 500ms, 10s, 2m (default: set load-timeout, 30s).")
    Duration timeout;

    @Override
    public Output run(SessionContext session) {
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new UsageException("load: --timeout must be longer than 0");
        }
        Duration limit = timeout != null ? timeout : session.settings().loadTimeout();
        if (stacks) {
            session.stacksRequested();
        }
        ModuleInfo info = session.engine().load(new LoadRequest(path, as, !noCopy, !untracked, lazyReload, stacks, limit,
                force));
        String loaded = "loaded " + info.name() + " (#" + info.id() + ") from " + info.source() + ": "
                + ModuleDescriptions.summary(info);
        Output.Builder output = Output.of(info).text(loaded);
        if (info.relib() != null && info.relib().forced()) {
            output.warning("relib_host would refuse this module: " + String.join("; ", info.relib().refusals())
                    + "; loaded anyway (--force)");
        }
        if (info.relib() != null && info.relib().unloading() && !info.tracked()) {
            output.text("note: untracked: relib's own tracker still runs; the agent's view of the C heap is off");
        }
        if (info.sdk() != null && info.sdk().mainOutcome().status() == SdkInfo.EntryOutcome.Status.PANICKED) {
            output.warning("main panicked: " + info.sdk().mainOutcome().message() + " (see: panics)");
        } else if (info.sdk() != null && info.sdk().mainOutcome().status() == SdkInfo.EntryOutcome.Status.FAILED) {
            output.warning("main returned an error (see the log above)");
        }
        return output.build();
    }
}
