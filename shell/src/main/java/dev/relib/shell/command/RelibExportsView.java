package dev.relib.shell.command;

import dev.relib.shell.command.ExportsCommand.ExportView;
import dev.relib.shell.render.Output;
import java.util.ArrayList;
import java.util.List;

/** {@code exports} of a relib module: relib names, how each returns, relib's own functions folded. */
final class RelibExportsView {

    private RelibExportsView() {
    }

    static Output.Builder table(Output.Builder output, List<ExportView> exports, int folded, boolean all) {
        List<List<String>> rows = new ArrayList<>();
        for (ExportView e : exports) {
            List<String> row = new ArrayList<>(List.of(e.name(), returns(e), ModuleDescriptions.hex(e.address()),
                    signature(e)));
            if (all) {
                row.add(e.symbol());
            }
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("NAME", "RETURNS", "ADDRESS", "SIGNATURE"));
        if (all) {
            header.add("SYMBOL");
        }
        output.table(header, rows);
        if (folded > 0) {
            output.text(folded + " of relib's own functions (__post__ pairs, internal exports, libc hooks) not shown; exports --all lists them");
        }
        return output;
    }

    private static String returns(ExportView e) {
        if (e.relib() == null) {
            return "-";
        }
        if (e.relib().machinery()) {
            return "(relib)";
        }
        if (e.relib().name() == null) {
            return "plain";
        }
        return e.relib().boxed() ? "boxed" : "by value";
    }

    private static String signature(ExportView e) {
        if (e.signature() != null) {
            return e.signature() + switch (e.signatureSource()) {
                case REMEMBERED -> "  (remembered)";
                case RELIB_DEFAULT -> "  (relib default; give another: call " + e.name() + " -> T)";
                default -> "";
            };
        }
        if (e.relib() == null || e.relib().machinery()) {
            return "-";
        }
        if (e.relib().name() == null) {
            return "- (a plain function: call " + e.symbol() + "(...) -> ...)";
        }
        return e.relib().boxed() ? "- (boxed; give its types: call " + e.name() + "(ARGS) -> RString, RVec<T>, ...)"
                : "- (give its types: call " + e.name() + "(ARGS) -> T, or " + e.name() + "(ARGS) for ())";
    }
}
