package dev.relib.shell.command;

import dev.relib.engine.model.ModuleInfo;
import dev.relib.shell.render.Block.Field;
import dev.relib.shell.render.Output;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "info", description = "Show one module: files, identity, base address, build id, rustc, needs, flags.")
public final class InfoCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Mixin
    ModuleOption module;

    @Override
    public Output run(SessionContext session) {
        ModuleInfo m = session.engine().info(module.ref());
        List<Field> fields = List.of(
                new Field("module", m.name() + " (#" + m.id() + ")"),
                new Field("kind", ModuleDescriptions.kind(m)),
                new Field("source", String.valueOf(m.source())),
                new Field("loaded from", String.valueOf(m.loadedFrom())),
                new Field("identity", m.identity() == null ? "-"
                        : m.identity().toString()),
                new Field("base address", ModuleDescriptions.hex(m.baseAddress())),
                new Field("file size", m.fileSize() + " bytes"),
                new Field("build id", m.buildId() == null ? "-" : m.buildId()),
                new Field("rustc", m.rustcVersion() == null ? "- (not built by rustc)" : m.rustcVersion()),
                new Field("needs", m.needed().isEmpty() ? "-" : String.join(", ", m.needed())),
                new Field("nodelete", m.nodelete() ? "yes (dlclose will not unmap it)" : "no"),
                new Field("tracked", m.tracked() ? "yes" : "no"),
                new Field("exports", Integer.toString(m.exportCount())),
                new Field("loaded at", String.valueOf(m.loadedAt())));
        return Output.of(m).fields(fields).build();
    }
}
