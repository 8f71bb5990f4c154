package dev.relib.engine.sdk;

import com.kenai.jffi.MemoryIO;
import dev.relib.engine.model.PanicRecord;
import java.nio.charset.StandardCharsets;
import dev.relib.engine.process.Mapping;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Decodes one RelibPanic (120 bytes, relib_sdk.h) into a {@link PanicRecord}, copying everything out. */
final class PanicReader {

    /** Must match sizeof(RelibPanic) in relib_sdk.h. */
    static final int SIZE = 120;
    /** Must match the frame limit in relib_sdk.h; a larger count means a corrupt record. */
    private static final int MAX_FRAMES = 64;
    /** Strings longer than this are cut: a message is for reading, not for megabytes. */
    private static final int MAX_STRING = 1 << 16;

    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private PanicReader() {
    }

    /**
     * @param callerJavaFrames the Java frames of the call that was running, given to panics that
     *                         happened inside an entry point (on that thread)
     */
    static PanicRecord read(String module, int generation, long panic, List<String> callerJavaFrames, List<Mapping> mappings) {
        long sequence = MEMORY.getLong(panic);
        long threadId = MEMORY.getLong(panic + 8);
        String message = string(panic + 16);
        String file = string(panic + 32);
        int line = MEMORY.getInt(panic + 48);
        int column = MEMORY.getInt(panic + 52);
        String thread = string(panic + 56);
        String entry = string(panic + 72);
        String backtrace = string(panic + 88);
        long frames = MEMORY.getAddress(panic + 104);
        long frameCount = Math.min(MEMORY.getLong(panic + 112), MAX_FRAMES);
        List<Long> rawFrames = new ArrayList<>();
        for (long i = 0; frames != 0 && i < frameCount; i++) {
            rawFrames.add(MEMORY.getAddress(frames + 8 * i));
        }
        return new PanicRecord(module, generation, sequence, message, emptyToNull(file), line, column, threadId,
                emptyToNull(thread), emptyToNull(entry), rawFrames, emptyToNull(backtrace), Instant.now(),
                entry.isEmpty() ? List.of() : callerJavaFrames, holding(rawFrames, mappings));
    }

    /** The mappings that hold these addresses, once each. */
    private static List<Mapping> holding(List<Long> addresses, List<Mapping> mappings) {
        return mappings.stream()
                .filter(m -> addresses.stream().anyMatch(a -> Long.compareUnsigned(a, m.start()) >= 0
                        && Long.compareUnsigned(a, m.end()) < 0))
                .toList();
    }

    /** A RelibStr {ptr, len} at {@code at}. */
    private static String string(long at) {
        long pointer = MEMORY.getAddress(at);
        long length = MEMORY.getLong(at + 8);
        if (pointer == 0 || length <= 0) {
            return "";
        }
        byte[] bytes = new byte[(int) Math.min(length, MAX_STRING)];
        MEMORY.getByteArray(pointer, bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String emptyToNull(String text) {
        return text.isEmpty() ? null : text;
    }
}
