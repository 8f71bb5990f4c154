package dev.relib.inspectors.threads;

import dev.relib.engine.model.ModuleThread;
import dev.relib.inspectors.symbols.AddressSpace;
import dev.relib.inspectors.symbols.Frame;
import dev.relib.inspectors.symbols.Symbolizer;
import java.util.List;
import java.util.Optional;

/**
 * The function a module's thread runs, as its author would name it. Every thread Rust's
 * {@code std::thread::spawn} starts has std's trampoline ({@code Thread::new::thread_start}) as its
 * start routine, and its argument is std's boxed main ({@code Box<dyn FnOnce()>}) around the
 * user's closure. The agent reads that box's vtable at {@code pthread_create}
 * ({@link ModuleThread#boxedFnDrop()}); the vtable's {@code drop_in_place} is instantiated for
 * {@code spawn_unchecked<F, T>::{closure}}, so its symbol names {@code F}, the closure. The closure's
 * own code is found by that name: its symbol (debug builds), else the code that calls it in
 * {@code __rust_begin_short_backtrace::<F, T>}, where release builds inline it, read with the
 * inlined frames there. Any other thread's start routine is shown as it is.
 */
public final class StartRoutines {

    private static final String THREAD_START = "::thread_start";
    private static final String SPAWN_UNCHECKED = "spawn_unchecked";
    private static final String SHORT_BACKTRACE = "__rust_begin_short_backtrace";

    private final Symbolizer symbolizer;
    private final AddressSpace space;

    /** @param space the mappings of the threads' process */
    public StartRoutines(Symbolizer symbolizer, AddressSpace space) {
        this.symbolizer = symbolizer;
        this.space = space;
    }

    /** The user's closure for a std thread (its name, and its line where it can be found), else the start routine. */
    public Frame of(ModuleThread thread) {
        Frame start = symbolizer.symbolize(thread.startRoutine(), space);
        if (start.function() == null || !isStdThreadStart(start.function()) || thread.boxedFnDrop() == 0) {
            return start;
        }
        Frame drop = symbolizer.symbolize(thread.boxedFnDrop(), space);
        Optional<String> closure = drop.function() == null ? Optional.empty() : spawnedClosure(drop.function());
        if (closure.isEmpty() || !start.object().equals(drop.object())) {
            return start;
        }
        String name = closure.get();
        return closureCode(thread.boxedFnDrop(), name)
                .orElseGet(() -> new Frame(thread.startRoutine(), start.object(), name, 0, null, 0, 0, false,
                        "the closure's code was inlined where no frame names it"));
    }

    static boolean isStdThreadStart(String function) {
        return function.endsWith(THREAD_START) && (function.contains("std::sys::") || function.contains("<std::sys::"));
    }

    /**
     * {@code F} of {@code spawn_unchecked<F, T>} in a demangled name (legacy {@code <F,T>} or v0
     * {@code ::<F, T>}), e.g. {@code frames::spawn_worker::{closure#0}}.
     */
    static Optional<String> spawnedClosure(String name) {
        int at = name.indexOf(SPAWN_UNCHECKED);
        while (at >= 0) {
            int open = at + SPAWN_UNCHECKED.length();
            if (name.startsWith("_", open)) {
                open++;
            }
            if (name.startsWith("::<", open)) {
                open += 2;
            }
            if (open < name.length() && name.charAt(open) == '<') {
                return Optional.of(firstArgument(name, open + 1)).filter(a -> !a.isEmpty());
            }
            at = name.indexOf(SPAWN_UNCHECKED, at + 1);
        }
        return Optional.empty();
    }

    private static String firstArgument(String name, int from) {
        int depth = 0;
        for (int i = from; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '<' || c == '(' || c == '[') {
                depth++;
            } else if ((c == '>' && name.charAt(i - 1) != '-') || c == ')' || c == ']') {
                if (depth == 0) {
                    return name.substring(from, i).strip();
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return name.substring(from, i).strip();
            }
        }
        return "";
    }

    /** The closure's code: its own function, else its inlined frame in the short-backtrace wrapper. */
    private Optional<Frame> closureCode(long inObject, String closure) {
        List<Symbolizer.MappedFunction> own = symbolizer.functionsNamed(inObject, space, closure::equals);
        if (own.size() == 1) {
            return Optional.of(symbolizer.symbolize(own.get(0).address(), space));
        }
        for (Symbolizer.MappedFunction wrapper : symbolizer.functionsNamed(inObject, space,
                n -> n.contains(SHORT_BACKTRACE) && n.contains("<" + closure + ","))) {
            for (long address = wrapper.address(); address < wrapper.address() + Math.max(1, wrapper.size()); address++) {
                for (Frame frame : symbolizer.frames(address, space)) {
                    if (closure.equals(frame.function())) {
                        return Optional.of(new Frame(address, frame.object(), closure, 0, frame.file(), frame.line(),
                                frame.column(), frame.debugInfo(), frame.missing()));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
