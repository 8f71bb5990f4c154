package dev.relib.shell.command;

import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.SdkInfo;
import dev.relib.engine.model.SdkInfo.EntryOutcome;
import dev.relib.shell.render.Block.Field;
import dev.relib.shell.render.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "info", description = "Show one module: files, identity, base address, build id, rustc, needs, flags; "
        + "for SDK modules also the SDK and rustc versions, main, exports and how each import is bound.")
public final class InfoCommand implements ShellCommand {

    @Mixin
    HelpOption help;

    @Mixin
    ModuleOption module;

    @Override
    public Output run(SessionContext session) {
        ModuleInfo m = session.engine().info(module.ref());
        List<Field> fields = new ArrayList<>(List.of(
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
                new Field("open files", m.openFiles() == null ? "-"
                        : OpenFdsView.count(m.openFiles().fds(), m.openFiles().streams())),
                new Field("exports", Integer.toString(m.exportCount())),
                new Field("loaded at", String.valueOf(m.loadedAt()))));
        if (m.sdk() != null) {
            fields.addAll(sdkFields(m.sdk()));
        }
        if (m.relib() != null) {
            fields.addAll(RelibDescriptions.fields(m.relib()));
        }
        return Output.of(m).fields(fields).build();
    }

    private static List<Field> sdkFields(SdkInfo sdk) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("sdk", "relib_sdk " + sdk.sdkVersion() + ", ABI " + sdk.abi()));
        fields.add(new Field("built by", sdk.rustcVersion()));
        fields.add(new Field("crate", sdk.crateName() + " " + sdk.crateVersion()));
        fields.add(new Field("main", mainText(sdk)));
        fields.add(new Field("before_unload", sdk.hasBeforeUnload() ? "yes (runs first at unload)" : "no"));
        fields.add(new Field("manifest", String.join("\n", sdk.exports())));
        fields.add(new Field("imports", sdk.imports().isEmpty() ? "-" : sdk.imports().stream()
                .map(i -> i.signature() + "  <- " + i.boundTo())
                .collect(Collectors.joining("\n"))));
        return fields;
    }

    private static String mainText(SdkInfo sdk) {
        EntryOutcome outcome = sdk.mainOutcome();
        return switch (outcome.status()) {
            case NOT_EXPORTED -> "no";
            case OK -> "ran at load";
            case PANICKED -> "panicked: " + outcome.message();
            case FAILED -> "returned an error (see the log)";
        };
    }
}
