package dev.relib.shell.command;

import dev.relib.engine.Engine;
import dev.relib.engine.model.ModuleThread;
import dev.relib.engine.model.ThreadReport;
import dev.relib.inspectors.symbols.AddressSpace;
import dev.relib.inspectors.symbols.Frame;
import dev.relib.inspectors.threads.StartRoutines;
import dev.relib.shell.render.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "threads", description = "Threads a module started: tid, name, state, start routine (for a Rust "
        + "thread, the closure passed to std::thread::spawn, not std's trampoline), started and exited times. "
        + "With no MOD, every loaded module.")
public final class ThreadsCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Mixin
    ModuleOption module;

    @Override
    public Output run(SessionContext session) {
        Engine engine = session.engine();
        List<ThreadReport> reports = ModuleSelection.reports(engine, module, engine::threads);
        Output.Builder output = Output.of(Map.of("modules", reports));
        List<List<String>> rows = new ArrayList<>();
        StartRoutines starts = null;
        for (ThreadReport report : reports) {
            if (!report.tracked()) {
                rows.add(List.of(report.module(), "-", "-", "untracked", "-", "-", "-"));
                continue;
            }
            for (ModuleThread thread : report.threads()) {
                if (starts == null) {
                    starts = new StartRoutines(session.symbols().symbolizer(), AddressSpace.of(engine.addressSpace()));
                }
                Frame start = starts.of(thread);
                rows.add(List.of(report.module(), Long.toString(thread.tid()), thread.name() == null ? "" : thread.name(),
                        thread.state().name().toLowerCase(), startRoutine(start, thread),
                        Quantities.time(thread.startedAt()), Quantities.time(thread.exitedAt())));
            }
        }
        if (rows.isEmpty()) {
            return output.text("no module has started a thread").build();
        }
        return output.table(List.of("MODULE", "TID", "NAME", "STATE", "START ROUTINE", "STARTED", "EXITED"), rows)
                .build();
    }

    /** {@code frames::spawn_worker::{closure#0} (lib.rs:118)}, or the address without a symbol. */
    private static String startRoutine(Frame start, ModuleThread thread) {
        if (start.function() == null) {
            return ModuleDescriptions.hex(thread.startRoutine());
        }
        if (start.file() == null || start.line() == 0) {
            return start.function();
        }
        return start.function() + " (" + java.nio.file.Path.of(start.file()).getFileName() + ":" + start.line() + ")";
    }
}
