package dev.relib.shell.render;

import java.util.List;

/** A piece of human-readable output. The JSON renderer ignores blocks and prints the result instead. */
public sealed interface Block {

    /** One or more lines of plain text. */
    record Text(String text) implements Block {
    }

    /** Something the user should know that is not the result: printed on stderr as {@code warning: ...}. */
    record Warning(String text) implements Block {
    }

    /** Rows under column headers, aligned by the renderer. */
    record Table(List<String> headers, List<List<String>> rows) implements Block {
        public Table {
            headers = List.copyOf(headers);
            rows = rows.stream().map(List::copyOf).toList();
        }
    }

    /** Name: value pairs, one per line, names aligned. */
    record Fields(List<Field> fields) implements Block {
        public Fields {
            fields = List.copyOf(fields);
        }
    }

    record Field(String name, String value) {
    }
}
