package dev.relib.engine.model;

import java.nio.file.Path;
import java.time.Duration;

/**
 * @param path    the shared object to load
 * @param as      the module's name; null means derived from the file name ({@code libfoo.so} -> {@code foo})
 * @param copy    load from a private shadow copy (default) rather than in place
 * @param tracked attach the native agent (allocation, thread and mapping tracking)
 * @param lazyReload reload, when the file has changed, at the next call (as dymod does)
 * @param stacks  record a call stack per allocation (tracked modules only; makes its allocations
 *                tens of times slower, so only when asked for)
 * @param timeout how long the load (its constructors, an SDK module's init and main) may run; null
 *                for no limit. The worker engine kills a worker past it ({@code load.timeout}).
 * @param force   load a relib module that relib_host would refuse (another relib version, mixed
 *                unloading flags), after a warning
 */
public record LoadRequest(Path path, String as, boolean copy, boolean tracked, boolean lazyReload, boolean stacks,
                          Duration timeout, boolean force) {

    public LoadRequest(Path path, String as, boolean copy, boolean tracked, boolean lazyReload, boolean stacks,
                       Duration timeout) {
        this(path, as, copy, tracked, lazyReload, stacks, timeout, false);
    }

    /** What the shell allows a load unless told otherwise ({@code set load-timeout}, {@code load --timeout}). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public LoadRequest(Path path, String as, boolean copy, boolean tracked, boolean lazyReload, boolean stacks) {
        this(path, as, copy, tracked, lazyReload, stacks, null);
    }

    public LoadRequest(Path path, String as, boolean copy, boolean tracked) {
        this(path, as, copy, tracked, false, false);
    }

    public LoadRequest(Path path, String as, boolean copy, boolean tracked, boolean lazyReload) {
        this(path, as, copy, tracked, lazyReload, false);
    }

    public static LoadRequest of(Path path) {
        return new LoadRequest(path, null, true, true, false, false);
    }

    public LoadRequest named(String name) {
        return new LoadRequest(path, name, copy, tracked, lazyReload, stacks, timeout, force);
    }

    public LoadRequest withStacks() {
        return new LoadRequest(path, as, copy, tracked, lazyReload, true, timeout, force);
    }

    public LoadRequest withTimeout(Duration limit) {
        return new LoadRequest(path, as, copy, tracked, lazyReload, stacks, limit, force);
    }

    public LoadRequest forced() {
        return new LoadRequest(path, as, copy, tracked, lazyReload, stacks, timeout, true);
    }
}
