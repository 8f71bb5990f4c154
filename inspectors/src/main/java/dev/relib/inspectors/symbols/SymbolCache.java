package dev.relib.inspectors.symbols;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Symbol tables per object file, opened on first use and kept: the most recently used
 * {@value #DEFAULT_CAPACITY} objects, plus every object {@link #retain retained}. A retained
 * object's tables are read in full when retained, so frames captured while it was loaded still
 * resolve after it is unloaded and its file (a shadow copy) deleted. Thread-safe.
 */
public final class SymbolCache {

    public static final int DEFAULT_CAPACITY = 64;

    private final Map<ObjectKey, ObjectSymbols> retained = new HashMap<>();
    private final Map<ObjectKey, ObjectSymbols> recent;

    public SymbolCache() {
        this(DEFAULT_CAPACITY);
    }

    public SymbolCache(int capacity) {
        this.recent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ObjectKey, ObjectSymbols> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The tables of {@code key}'s object: retained, cached, or opened now. An object whose file is
     * gone or was replaced since it was mapped (another inode at the path) has no symbols, with
     * the reason, rather than the symbols of a different build.
     */
    public synchronized ObjectSymbols get(ObjectKey key) {
        ObjectSymbols symbols = retained.get(key);
        if (symbols == null) {
            symbols = recent.computeIfAbsent(key, SymbolCache::open);
        }
        return symbols;
    }

    /**
     * Reads every table of the object at {@code file} now and keeps them until {@link #release}:
     * call it before the object is unloaded and its file deleted.
     *
     * @return the key to release it with
     */
    public ObjectKey retain(Path file) {
        ObjectKey key = ObjectKey.ofFile(file);
        ObjectSymbols symbols = get(key).loadAll();
        synchronized (this) {
            retained.put(key, symbols);
        }
        return key;
    }

    /** Stops pinning an object's tables; they stay cached while recently used and the file exists. */
    public synchronized void release(ObjectKey key) {
        ObjectSymbols symbols = retained.remove(key);
        if (symbols != null) {
            recent.put(key, symbols);
        }
    }

    public synchronized boolean isRetained(ObjectKey key) {
        return retained.containsKey(key);
    }

    private static ObjectSymbols open(ObjectKey key) {
        Path path = Path.of(key.path());
        if (!Files.exists(path)) {
            return ObjectSymbols.unavailable(path, key.path() + " was deleted after it was mapped, and its symbols were not retained");
        }
        ObjectKey onDisk;
        try {
            onDisk = ObjectKey.ofFile(path);
        } catch (RuntimeException e) {
            return ObjectSymbols.unavailable(path, e.getMessage());
        }
        // The device is not compared: on overlayfs, maps shows the lower layer's device and stat
        // the overlay's, for one and the same file.
        if (onDisk.inode() != key.inode() || !onDisk.path().equals(key.path())) {
            return ObjectSymbols.unavailable(path, key.path() + " was replaced on disk after it was mapped");
        }
        return ObjectSymbols.open(path);
    }
}
