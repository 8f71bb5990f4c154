package dev.relib.shell.command;

import dev.relib.engine.Engine;
import dev.relib.engine.model.LeakedMapping;
import dev.relib.engine.model.MappingReport;
import dev.relib.shell.render.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "maps", description = "What a module has mapped: the segments of its file, and the mappings it "
        + "made and has not unmapped. With no MOD, every loaded module.")
public final class MapsCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Mixin
    ModuleOption module;

    @Override
    public Output run(SessionContext session) {
        Engine engine = session.engine();
        List<MappingReport> reports = ModuleSelection.reports(engine, module, engine::mappings);
        Output.Builder output = Output.of(Map.of("modules", reports));
        List<List<String>> segments = new ArrayList<>();
        List<List<String>> made = new ArrayList<>();
        for (MappingReport report : reports) {
            for (MappingReport.Segment s : report.segments()) {
                segments.add(List.of(report.module(), ModuleDescriptions.hex(s.start()) + "-" + Long.toHexString(s.end()),
                        s.permissions(), ModuleDescriptions.hex(s.offset()), s.path()));
            }
            for (LeakedMapping m : report.mappings()) {
                made.add(List.of(report.module(), ModuleDescriptions.hex(m.address()), Quantities.bytes(m.length()),
                        protection(m.protection()), m.anonymous() ? "anonymous" : "file"));
            }
        }
        output.table(List.of("MODULE", "RANGE", "PERMS", "OFFSET", "FILE"), segments);
        if (made.isEmpty()) {
            return output.text(reports.stream().anyMatch(MappingReport::tracked)
                    ? "no mappings made by the module remain" : "untracked: mappings the module made are not recorded")
                    .build();
        }
        output.text("mappings the module made and has not unmapped:");
        return output.table(List.of("MODULE", "ADDRESS", "LENGTH", "PROT", "KIND"), made).build();
    }

    /** PROT_READ 1, PROT_WRITE 2, PROT_EXEC 4, as {@code /proc/self/maps} writes them. */
    static String protection(int prot) {
        return ((prot & 1) != 0 ? "r" : "-") + ((prot & 2) != 0 ? "w" : "-") + ((prot & 4) != 0 ? "x" : "-");
    }
}
