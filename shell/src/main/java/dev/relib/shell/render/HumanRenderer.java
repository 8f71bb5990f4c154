package dev.relib.shell.render;

import dev.relib.engine.model.ModuleOutput;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;

/**
 * Aligned tables and plain lines on stdout; failures as an {@code error: ...} line on stderr; what
 * modules print as {@code [module stdout] text} / {@code [module stderr] text} lines on stdout, so
 * they keep their place among the command's own lines.
 */
public final class HumanRenderer implements Renderer {

    private static final String GAP = "  ";

    private final PrintWriter out;
    private final PrintWriter err;
    private final Style style;
    private final Consumer<String> moduleLines;

    public HumanRenderer(PrintWriter out, PrintWriter err, Style style) {
        this(out, err, style, line -> {
            out.println(line);
            out.flush();
        });
    }

    /**
     * @param moduleLines prints one line of module output; the REPL passes one that prints above
     *                    the line being typed, since a module's thread may print at any time
     */
    public HumanRenderer(PrintWriter out, PrintWriter err, Style style, Consumer<String> moduleLines) {
        this.out = out;
        this.err = err;
        this.style = style;
        this.moduleLines = moduleLines;
    }

    @Override
    public synchronized void echo(String command) {
        out.println(style.dim("relib> ") + command);
        out.flush();
    }

    @Override
    public synchronized void render(String command, Output output, Failure failure) {
        if (output != null) {
            for (Block block : output.blocks()) {
                print(block);
            }
            out.flush();
        }
        if (failure != null) {
            err.println(style.red("error:") + " " + failure.message());
            err.flush();
        }
    }

    @Override
    public synchronized void moduleOutput(ModuleOutput line) {
        String mark = line.stream() == ModuleOutput.Stream.STDOUT ? "[module stdout]" : "[module stderr]";
        moduleLines.accept(style.dim(mark) + " " + line.text());
    }

    private void print(Block block) {
        if (block instanceof Block.Text text) {
            out.println(text.text());
        } else if (block instanceof Block.Table table) {
            printTable(table);
        } else if (block instanceof Block.Fields fields) {
            printFields(fields.fields());
        }
    }

    private void printTable(Block.Table table) {
        int columns = table.headers().size();
        int[] widths = new int[columns];
        for (int c = 0; c < columns; c++) {
            widths[c] = table.headers().get(c).length();
            for (List<String> row : table.rows()) {
                widths[c] = Math.max(widths[c], cell(row, c).length());
            }
        }
        out.println(style.bold(line(table.headers(), widths)));
        for (List<String> row : table.rows()) {
            out.println(line(row, widths));
        }
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            String value = cell(cells, c);
            sb.append(value);
            if (c < widths.length - 1) {
                sb.append(" ".repeat(widths[c] - value.length())).append(GAP);
            }
        }
        return sb.toString().stripTrailing();
    }

    private static String cell(List<String> row, int column) {
        return column < row.size() && row.get(column) != null ? row.get(column) : "";
    }

    private void printFields(List<Block.Field> fields) {
        int width = fields.stream().mapToInt(f -> f.name().length()).max().orElse(0);
        for (Block.Field field : fields) {
            String name = field.name() + ":";
            // A value of several lines keeps its column.
            String value = field.value().replace("\n", "\n" + " ".repeat(width + 1 + GAP.length()));
            out.println(style.bold(name) + " ".repeat(width + 1 - name.length() + GAP.length()) + value);
        }
    }
}
