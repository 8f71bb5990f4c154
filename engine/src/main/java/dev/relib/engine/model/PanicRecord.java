package dev.relib.engine.model;

import dev.relib.engine.process.Mapping;
import java.time.Instant;
import java.util.List;

/**
 * One panic of a module, as values: caught at an export's boundary, or on a thread the module started
 * (an SDK module's hook records those; a relib or plain module's are read from what std printed).
 *
 * @param module     the module's name
 * @param generation the module's generation that panicked (1 for the first load, +1 per reload)
 * @param sequence   the module's own count, 1 for its first panic (gaps mean the module dropped some)
 * @param message    the panic message
 * @param file       source file, or null when the panic had no location
 * @param line       1-based, 0 without a location
 * @param column     1-based, 0 without a location
 * @param threadId   kernel thread id of the panicking thread
 * @param thread     the thread's kernel name (at most 15 bytes), or null
 * @param export     the SDK entry point that was running: an export's name, {@code main},
 *                   {@code before_unload}, or null for a thread the module started
 * @param rawFrames  return addresses in this process, innermost first
 * @param backtrace  std's formatted backtrace, or null (the engine asks for raw frames only)
 * @param capturedAt when the engine took it from the module
 * @param javaFrames the engine thread's Java frames below the native call the panic happened in,
 *                   caller last ({@code Class.method(File.java:LINE)}); empty for a module thread's panic
 * @param frameMappings the mappings that held the raw frames when the panic was taken: the address
 *                   space its backtrace is read in, even after the module was reloaded or unloaded
 */
public record PanicRecord(String module, int generation, long sequence, String message, String file, int line, int column,
                          long threadId, String thread, String export, List<Long> rawFrames, String backtrace,
                          Instant capturedAt, List<String> javaFrames, List<Mapping> frameMappings) {

    public PanicRecord {
        rawFrames = List.copyOf(rawFrames);
        javaFrames = List.copyOf(javaFrames);
        frameMappings = List.copyOf(frameMappings);
    }

    /** {@code src/lib.rs:12:9}, or null without a location. */
    public String location() {
        return file == null ? null : file + ":" + line + ":" + column;
    }

    /** The message with its location, as one line. */
    public String summary() {
        return location() == null ? message : message + " at " + location();
    }
}
