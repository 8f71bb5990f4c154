package dev.relib.shell.command;

import dev.relib.engine.Engine;
import dev.relib.engine.model.HostBuffer;
import dev.relib.engine.model.TypedValue;
import dev.relib.shell.UsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code &out TYPE} arguments ({@code &out u64}, {@code &out *mut sqlite3}): each becomes a zeroed
 * 8-byte buffer whose address is passed, and whose value is read as TYPE after the call, as C's
 * {@code sqlite3_open(path, &db)} expects.
 */
final class OutParameters {

    /** Every out type is a scalar or a thin pointer: at most 8 bytes. */
    private static final int SLOT = 8;
    private static final String MARKER = "&out";

    /** An out-parameter read back after the call. */
    record Filled(int argument, TypedValue value) {
    }

    private record Slot(int argument, String type, HostBuffer buffer) {
    }

    private final List<String> arguments;
    private final List<Slot> slots;

    private OutParameters(List<String> arguments, List<Slot> slots) {
        this.arguments = arguments;
        this.slots = slots;
    }

    /** Groups {@code &out} with its type words ({@code &out *mut T} is three words) and allocates each. */
    static OutParameters allocate(List<String> words, Engine engine) {
        List<String> arguments = new ArrayList<>();
        List<Slot> slots = new ArrayList<>();
        try {
            for (int i = 0; i < words.size(); i++) {
                String word = words.get(i);
                if (!word.equals(MARKER) && !word.startsWith(MARKER + " ")) {
                    arguments.add(word);
                    continue;
                }
                StringBuilder type = new StringBuilder(word.substring(MARKER.length()).strip());
                while (incomplete(type.toString()) && i + 1 < words.size()) {
                    type.append(type.isEmpty() ? "" : " ").append(words.get(++i));
                }
                if (type.isEmpty() || incomplete(type.toString())) {
                    throw new UsageException("&out needs the type it receives, e.g. &out u64 or &out *mut sqlite3");
                }
                HostBuffer buffer = engine.allocateBuffer(SLOT);
                slots.add(new Slot(arguments.size(), type.toString(), buffer));
                arguments.add("0x" + Long.toHexString(buffer.address()));
            }
        } catch (RuntimeException e) {
            new OutParameters(arguments, slots).free(engine);
            throw e;
        }
        return new OutParameters(arguments, slots);
    }

    private static boolean incomplete(String type) {
        return type.isEmpty() || type.endsWith("*const") || type.endsWith("*mut") || type.endsWith("&")
                || type.endsWith("&mut");
    }

    List<String> arguments() {
        return arguments;
    }

    List<Filled> read(Engine engine) {
        List<Filled> filled = new ArrayList<>(slots.size());
        for (Slot slot : slots) {
            filled.add(new Filled(slot.argument(), engine.readValue(slot.type(), slot.buffer().address())));
        }
        return filled;
    }

    void free(Engine engine) {
        for (Slot slot : slots) {
            try {
                engine.freeBuffer(slot.buffer().id());
            } catch (RuntimeException ignored) {
                // The worker died with the call: its buffers went with it.
            }
        }
    }
}
