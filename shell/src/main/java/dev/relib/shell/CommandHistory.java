package dev.relib.shell;

import java.util.List;

/** The commands entered in this session (and, in the REPL, earlier ones from the history file). */
public interface CommandHistory {

    void add(String line);

    List<String> entries();
}
