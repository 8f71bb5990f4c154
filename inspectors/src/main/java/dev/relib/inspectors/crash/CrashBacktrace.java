package dev.relib.inspectors.crash;

import dev.relib.engine.model.NativeCrash;
import dev.relib.inspectors.allocations.UserCode;
import dev.relib.inspectors.symbols.AddressSpace;
import dev.relib.inspectors.symbols.Frame;
import dev.relib.inspectors.symbols.Symbolizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A native crash read as gdb would show it: the crashing thread's frames, innermost first, the
 * faulting instruction's own (with the functions inlined there) then one per return address, each
 * with its inlined frames and file:line; and the module whose code crashed.
 *
 * @param space   the crashed process's mappings: addresses of the dead worker resolve in it
 * @param frames  every frame, innermost first
 * @param module  the loaded module whose code holds the innermost frame in any module, or null
 * @param crashed the innermost frame of the user's code in that module (see {@link UserCode}), else
 *                its innermost frame, else the first frame
 * @param entry   the outermost frame of that module's first run of frames: the function called into
 *                it from outside (the export, for a call), or null without a module
 */
public record CrashBacktrace(NativeCrash crash, AddressSpace space, List<Frame> frames, String module, Frame crashed,
                             Frame entry) {

    /** Symbolizes the crash's stack in its own mappings. */
    public static CrashBacktrace of(NativeCrash crash, Symbolizer symbolizer) {
        AddressSpace space = AddressSpace.of(crash.mappings());
        List<Frame> frames = new ArrayList<>(symbolizer.frames(crash.pc(), space));
        for (long returnAddress : crash.returnAddresses()) {
            frames.addAll(symbolizer.returnAddressFrames(returnAddress, space));
        }
        String module = null;
        Frame crashed = frames.isEmpty() ? null : frames.get(0);
        Frame entry = null;
        for (int i = 0; i < frames.size(); i++) {
            String object = frames.get(i).object();
            String name = object == null ? null : crash.moduleFiles().get(object);
            if (name != null) {
                module = name;
                crashed = firstUserFrame(frames, object).orElse(frames.get(i));
                int last = i;
                while (last + 1 < frames.size() && object.equals(frames.get(last + 1).object())) {
                    last++;
                }
                entry = frames.get(last);
                break;
            }
        }
        return new CrashBacktrace(crash, space, List.copyOf(frames), module, crashed, entry);
    }

    private static Optional<Frame> firstUserFrame(List<Frame> frames, String object) {
        return frames.stream().filter(f -> UserCode.isUserFrame(f, object)).findFirst();
    }
}
