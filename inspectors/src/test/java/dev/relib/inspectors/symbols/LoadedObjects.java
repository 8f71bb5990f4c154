package dev.relib.inspectors.symbols;

import dev.relib.engine.loader.DynamicLinker;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/** Objects a test dlopened, closed newest first when it ends. */
final class LoadedObjects {

    private final DynamicLinker linker;
    private final Deque<Long> handles = new ArrayDeque<>();

    LoadedObjects(DynamicLinker linker) {
        this.linker = linker;
    }

    long open(Path path) {
        long handle = linker.open(path);
        handles.push(handle);
        return handle;
    }

    void closeAll() {
        while (!handles.isEmpty()) {
            linker.close(handles.pop());
        }
    }
}
