package dev.relib.engine.worker;

import dev.relib.engine.model.ModuleOutput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last lines the worker printed on either stream, kept for the crash report, and where the
 * current request's lines begin: the report shows those only, not what other modules printed before.
 */
final class RecentLines {

    private final int capacity;
    private final Deque<String> lines = new ArrayDeque<>();
    private long added;
    private long boundary;

    RecentLines(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(ModuleOutput.Stream stream, String text) {
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast((stream == ModuleOutput.Stream.STDERR ? "stderr: " : "stdout: ") + text);
        added++;
    }

    /** Lines from now on belong to the next request. */
    synchronized void markBoundary() {
        boundary = added;
    }

    /** The lines kept since {@link #markBoundary()}: the current request's (and any printed while idle before it). */
    synchronized List<String> sinceBoundary() {
        int count = (int) Math.min(lines.size(), added - boundary);
        List<String> all = new ArrayList<>(lines);
        return new ArrayList<>(all.subList(all.size() - count, all.size()));
    }

    synchronized List<String> snapshot() {
        return new ArrayList<>(lines);
    }
}
