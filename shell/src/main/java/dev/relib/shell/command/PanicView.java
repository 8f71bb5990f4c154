package dev.relib.shell.command;

import dev.relib.engine.model.PanicRecord;
import dev.relib.inspectors.symbols.AddressSpace;
import dev.relib.inspectors.symbols.Frame;
import dev.relib.inspectors.symbols.Symbolizer;
import java.util.List;

/**
 * One panic as {@code panics} and {@code bt} show it: what, where, on which thread, and the
 * backtrace frame by frame (module, function, file:line), with the engine thread's Java frames
 * below the native ones, so one view reads JVM -> module A -> module B.
 */
final class PanicView {

    /**
     * Functions of the panic machinery: the unwinder, std's panicking and catch_unwind, and the SDK's
     * hook and export wrapper, above the module's frame and between its export and its body.
     */
    private static final List<String> MACHINERY = List.of("_Unwind_", "__rust", "rust_begin_unwind", "std::",
            "core::", "<core::", "<std::", "relib_sdk::", "<alloc::boxed::Box");

    /** jffi's native library (extracted as jffiNNNN.so): where the JVM called into the module. */
    private static final String JNI_BOUNDARY = "jffi";

    private PanicView() {
    }

    /**
     * @param index     the panic's number in the session's list ({@code bt N} takes it)
     * @param allFrames keep the panic machinery at the top and the JVM's native frames at the bottom
     */
    static String describe(int index, PanicRecord panic, List<Frame> frames, boolean allFrames) {
        StringBuilder text = new StringBuilder();
        text.append('[').append(index).append("] ").append(panic.module())
                .append(panic.generation() > 1 ? " (generation " + panic.generation() + ")" : "")
                .append(" panic #").append(panic.sequence())
                .append(panic.export() == null ? " on a module thread" : " in " + panic.export())
                .append(", thread ").append(panic.thread() == null ? "?" : "'" + panic.thread() + "'")
                .append(" (tid ").append(panic.threadId()).append("), at ").append(panic.capturedAt()).append('\n');
        text.append("  ").append(panic.message().replace("\n", "\n  ")).append('\n');
        text.append("  at ").append(panic.location() == null ? "(no location)" : panic.location());
        List<Frame> shown = allFrames ? frames : toJniBoundary(withoutPanicMachinery(frames)).stream()
                .filter(frame -> !isMachinery(frame) || frame.function() == null).toList();
        if (!shown.isEmpty()) {
            text.append("\n  backtrace").append(shown.size() < frames.size()
                    ? " (" + (frames.size() - shown.size()) + " frames of the panic machinery and the JVM hidden; "
                    + "--all-frames shows them)" : "").append(':');
        }
        for (int i = 0; i < shown.size(); i++) {
            text.append("\n    ").append(String.format("%2d ", i)).append(shown.get(i));
        }
        if (frames.isEmpty() && panic.backtrace() != null) {
            // No return addresses (a relib or plain module's panic, read from its stderr): std's own text.
            text.append("\n  backtrace (as std printed it):");
            panic.backtrace().stripTrailing().lines().forEach(line -> text.append("\n  ").append(line));
        }
        if (!panic.javaFrames().isEmpty()) {
            text.append("\n  called from the engine thread (Java):");
            for (String javaFrame : panic.javaFrames()) {
                text.append("\n       ").append(javaFrame);
            }
        }
        return text.toString();
    }

    /**
     * The panic's frames, read in the address space they were captured in: the generation that
     * panicked may have been reloaded or unloaded since.
     */
    static List<Frame> frames(PanicRecord panic, Symbolizer symbolizer) {
        long[] addresses = panic.rawFrames().stream().mapToLong(Long::longValue).toArray();
        return symbolizer.symbolizeReturnAddresses(addresses, AddressSpace.of(panic.frameMappings()));
    }

    /** Drops the leading frames that belong to the panic machinery, so the first one shown is the module's. */
    private static List<Frame> withoutPanicMachinery(List<Frame> frames) {
        int first = 0;
        while (first < frames.size() && isMachinery(frames.get(first))) {
            first++;
        }
        return first == frames.size() ? frames : frames.subList(first, frames.size());
    }

    /** Keeps frames up to and including the JVM's call into native code; the Java frames follow. */
    private static List<Frame> toJniBoundary(List<Frame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            String object = frames.get(i).object();
            if (object != null && java.nio.file.Path.of(object).getFileName().toString().contains(JNI_BOUNDARY)) {
                return frames.subList(0, i + 1);
            }
        }
        return frames;
    }

    /** Unnamed frames at the top count too: std's panic functions are often unnamed without debug info. */
    private static boolean isMachinery(Frame frame) {
        String function = frame.function();
        return function == null || MACHINERY.stream().anyMatch(function::startsWith)
                || function.contains("{{closure}}") && frame.file() != null && frame.file().endsWith("sdk/src/macros.rs");
    }
}
