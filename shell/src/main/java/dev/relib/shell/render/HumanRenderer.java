package dev.relib.shell.render;

import dev.relib.engine.model.ModuleOutput;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Consumer;

/**
 * Aligned tables and plain lines on stdout; failures as an {@code error: ...} line on stderr; what
 * modules print as {@code [module stdout] text} / {@code [module stderr] text} lines on stdout, so
 * they keep their place among the command's own lines; a background task's output (a watch's
 * reload report) under a {@code [watch MOD]} line, the same way.
 */
public final class HumanRenderer implements Renderer {

    private static final String GAP = "  ";

    private final PrintWriter out;
    private final PrintWriter err;
    private final Style style;
    private final Consumer<String> asyncLines;

    public HumanRenderer(PrintWriter out, PrintWriter err, Style style) {
        this(out, err, style, line -> {
            out.println(line);
            out.flush();
        });
    }

    /**
     * @param asyncLines prints text that arrives on another thread (module output, watch reports); the
     *                   REPL passes one that prints above the line being typed, since that may happen at any time
     */
    public HumanRenderer(PrintWriter out, PrintWriter err, Style style, Consumer<String> asyncLines) {
        this.out = out;
        this.err = err;
        this.style = style;
        this.asyncLines = asyncLines;
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
        asyncLines.accept(style.dim(mark) + " " + TerminalText.escapeControls(line.text()));
    }

    /** Rendered whole, then printed in one piece, so that the REPL redraws the prompt once below it. */
    @Override
    public synchronized void background(String origin, Output output, Failure failure) {
        StringWriter text = new StringWriter();
        PrintWriter target = new PrintWriter(text);
        if (output != null) {
            for (Block block : output.blocks()) {
                print(target, block);
            }
        }
        if (failure != null) {
            target.println(style.red("error:") + " " + failure.message());
        }
        target.flush();
        asyncLines.accept(style.dim("[" + origin + "]") + " " + text.toString().stripTrailing());
    }

    private void print(Block block) {
        print(out, block);
    }

    private void print(PrintWriter out, Block block) {
        if (block instanceof Block.Text text) {
            out.println(text.text());
        } else if (block instanceof Block.Table table) {
            printTable(out, table);
        } else if (block instanceof Block.Fields fields) {
            printFields(out, fields.fields());
        }
    }

    private void printTable(PrintWriter out, Block.Table table) {
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

    private void printFields(PrintWriter out, List<Block.Field> fields) {
        int width = fields.stream().mapToInt(f -> f.name().length()).max().orElse(0);
        for (Block.Field field : fields) {
            String name = field.name() + ":";
            // A value of several lines keeps its column.
            String value = field.value().replace("\n", "\n" + " ".repeat(width + 1 + GAP.length()));
            out.println(style.bold(name) + " ".repeat(width + 1 - name.length() + GAP.length()) + value);
        }
    }
}
