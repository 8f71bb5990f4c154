package dev.relib.shell.command;

import dev.relib.engine.model.ExportInfo;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.ModuleKind;
import dev.relib.shell.render.Output;
import dev.relib.shell.render.SymbolNames;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "exports", description = "List a module's exported functions: name, size, address, signature;"
        + " --grep PATTERN shows those whose name matches.")
public final class ExportsCommand implements ShellCommand {

    /** One export as the shell shows it: the raw symbol and its readable (demangled) name. */
    public record ExportView(String symbol, String name, long address, long size, String signature,
                             ExportInfo.SignatureSource signatureSource) {
    }

    /** The JSON result: the module's name and its exports. */
    public record ExportsResult(String module, List<ExportView> exports) {
    }

    /** What the SDK itself exports into every SDK module: the host calls these, not the user. */
    private static final String SDK_PREFIX = "relib_sdk_";
    /** Past this many rows a list is long enough to be worth filtering, and the hint says how. */
    static final int LONG_LIST = 40;

    @Mixin
    HelpOption help;

    @Mixin
    ModuleOption module;

    @Option(names = {"-g", "--grep"}, paramLabel = "PATTERN",
            description = "Only exports whose name (as shown, or the raw symbol) contains PATTERN, ignoring case;"
                    + " * and ? are wildcards, as in a shell.")
    String grep;

    @Override
    public Output run(SessionContext session) {
        ModuleInfo info = session.engine().info(module.ref());
        NamePattern pattern = grep == null ? null : NamePattern.of(grep);
        List<ExportView> exports = session.engine().exports(module.ref()).stream()
                .map(e -> new ExportView(e.symbol(), SymbolNames.display(e.symbol()), e.address(), e.size(),
                        e.signature(), e.signatureSource()))
                .filter(e -> pattern == null || pattern.matches(e.name()) || pattern.matches(e.symbol()))
                .toList();
        Output.Builder output = Output.of(new ExportsResult(info.name(), exports));
        if (exports.isEmpty()) {
            return output.text(pattern == null ? info.name() + " exports no functions"
                    : "no export of " + info.name() + " matches '" + grep + "'").build();
        }
        List<List<String>> rows = exports.stream()
                .map(e -> List.of(e.name(), Long.toString(e.size()), ModuleDescriptions.hex(e.address()),
                        signatureText(e, info.kind() == ModuleKind.SDK)))
                .toList();
        output.table(List.of("NAME", "SIZE", "ADDRESS", "SIGNATURE"), rows);
        long unknown = exports.stream().filter(e -> e.signature() == null && !isSdkEntry(e, info)).count();
        if (unknown > 0) {
            output.text((unknown == exports.size() ? "no signature is known yet" : unknown + " without a known signature (-)")
                    + "; give one with: sig NAME(ARGS) -> RET, or call NAME(ARGS) -> RET ...");
        }
        if (pattern == null && exports.size() > LONG_LIST) {
            output.text(exports.size() + " exports; show fewer with: exports --grep PATTERN");
        }
        return output.build();
    }

    private static boolean isSdkEntry(ExportView e, ModuleInfo info) {
        return info.kind() == ModuleKind.SDK && e.symbol().startsWith(SDK_PREFIX);
    }

    private static String signatureText(ExportView e, boolean sdk) {
        if (e.signature() == null && sdk && e.symbol().startsWith(SDK_PREFIX)) {
            return "(relib_sdk entry point)";
        }
        if (e.signature() == null) {
            return "-";
        }
        return e.signature() + (e.signatureSource() == ExportInfo.SignatureSource.MANIFEST ? "" : "  (remembered)");
    }
}
