package dev.relib.shell;

import java.util.ArrayList;
import java.util.List;

/** History of a scripted session: kept in memory, never written to the history file. */
public final class InMemoryHistory implements CommandHistory {

    private final List<String> entries = new ArrayList<>();

    @Override
    public void add(String line) {
        entries.add(line);
    }

    @Override
    public List<String> entries() {
        return List.copyOf(entries);
    }
}
