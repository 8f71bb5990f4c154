package dev.relib.engine.worker;

import dev.relib.engine.model.ModuleOutput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The last lines the worker printed on either stream, kept for the crash report. */
final class RecentLines {

    private final int capacity;
    private final Deque<String> lines = new ArrayDeque<>();

    RecentLines(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(ModuleOutput.Stream stream, String text) {
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast((stream == ModuleOutput.Stream.STDERR ? "stderr: " : "stdout: ") + text);
    }

    synchronized List<String> snapshot() {
        return new ArrayList<>(lines);
    }
}
