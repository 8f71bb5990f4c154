package dev.relib.shell.command;

import dev.relib.engine.model.RelibInfo;
import dev.relib.shell.render.Block.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** How a relib module is described: its compilation info, as {@code info}, {@code load} and {@code check load} show it. */
final class RelibDescriptions {

    private RelibDescriptions() {
    }

    /** {@code relib 0.7.0, unloading on, alloc tracker yes}. */
    static String summary(RelibInfo relib) {
        return "relib " + relib.relibVersion() + ", unloading " + (relib.unloading() ? "on" : "off")
                + (relib.allocTracker() == null ? "" : ", alloc tracker " + (relib.allocTracker() ? "yes" : "no"));
    }

    static List<Field> fields(RelibInfo relib) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("relib", relib.relibVersion() + (relib.forced()
                ? " (loaded with --force: relib_host would refuse it)" : "")));
        fields.add(new Field("unloading", relib.unloading() ? "on"
                : "off (relib cannot unload it safely; unload does what the shell can)"));
        fields.add(new Field("relib rustc", relib.rustc()));
        fields.add(new Field("LLVM", relib.llvm()));
        fields.add(new Field("host triple", relib.hostTriple()));
        fields.add(new Field("alloc tracker", relib.allocTracker() == null ? "- (no unloading)"
                : relib.allocTracker() ? "yes (init reported its reservations)"
                : "no (init reported nothing: a custom global allocator without AllocTracker)"));
        if (relib.relibModuleId() != 0) {
            fields.add(new Field("relib module id", Long.toString(relib.relibModuleId())));
        }
        if (!relib.refusals().isEmpty()) {
            fields.add(new Field("relib_host would refuse", String.join("\n", relib.refusals())));
        }
        fields.add(new Field("relib imports", relib.imports().isEmpty() ? "-" : relib.imports().stream()
                .map(i -> i.name() + (i.boxed() ? " (boxed)" : "") + "  <- " + (i.bound() ? i.boundTo() : "unbound"))
                .collect(Collectors.joining("\n"))));
        return fields;
    }
}
