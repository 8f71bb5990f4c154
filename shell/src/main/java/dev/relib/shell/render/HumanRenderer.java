package dev.relib.shell.render;

import dev.relib.engine.model.ModuleOutput;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Aligned tables and plain lines on stdout; failures as an {@code error: ...} line on stderr; what
 * modules print as {@code [module stdout] text} / {@code [module stderr] text} lines on stdout, so
 * they keep their place among the command's own lines; a background task's output (a watch's
 * reload report) under a {@code [watch MOD]} line, the same way. Warnings go to stderr too. A table
 * wider than the terminal wraps its last column, and fields their values, at spaces.
 */
public final class HumanRenderer implements Renderer {

    private static final String GAP = "  ";
    /** A column narrower than this is not worth wrapping into; the terminal wraps the line instead. */
    private static final int MIN_WRAPPED_WIDTH = 20;

    private final PrintWriter out;
    private final PrintWriter err;
    private final Style style;
    private final Style errStyle;
    private final IntSupplier columns;
    private final Consumer<String> asyncLines;

    public HumanRenderer(PrintWriter out, PrintWriter err, Style style) {
        this(out, err, style, line -> {
            out.println(line);
            out.flush();
        });
    }

    /**
     * @param errStyle   stderr's styling, decided apart from stdout's: either may be redirected
     * @param columns    the terminal's width now (it may be resized), 0 when unknown or not a terminal
     * @param asyncLines as in {@link #HumanRenderer(PrintWriter, PrintWriter, Style, Consumer)}; null
     *                   prints them on {@code out}
     */
    public HumanRenderer(PrintWriter out, PrintWriter err, Style style, Style errStyle, IntSupplier columns,
                         Consumer<String> asyncLines) {
        this.out = out;
        this.err = err;
        this.style = style;
        this.errStyle = errStyle;
        this.columns = columns;
        this.asyncLines = asyncLines != null ? asyncLines : line -> {
            out.println(line);
            out.flush();
        };
    }

    /**
     * @param asyncLines prints text that arrives on another thread (module output, watch reports); the
     *                   REPL passes one that prints above the line being typed, since that may happen at any time
     */
    public HumanRenderer(PrintWriter out, PrintWriter err, Style style, Consumer<String> asyncLines) {
        this(out, err, style, style, () -> 0, asyncLines);
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
            err.println(errStyle.red("error:") + " " + failure.message());
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
        if (block instanceof Block.Warning warning) {
            out.flush();
            err.println(errStyle.yellow("warning:") + " " + warning.text());
            err.flush();
        } else {
            print(out, block);
        }
    }

    private void print(PrintWriter out, Block block) {
        if (block instanceof Block.Warning warning) {
            out.println(style.yellow("warning:") + " " + warning.text());
        } else if (block instanceof Block.Text text) {
            out.println(text.text());
        } else if (block instanceof Block.Table table) {
            printTable(out, table);
        } else if (block instanceof Block.Fields fields) {
            printFields(out, fields.fields());
        }
    }

    private void printTable(PrintWriter out, Block.Table table) {
        int count = table.headers().size();
        int[] widths = new int[count];
        for (int c = 0; c < count; c++) {
            widths[c] = table.headers().get(c).length();
            for (List<String> row : table.rows()) {
                widths[c] = Math.max(widths[c], cell(row, c).length());
            }
        }
        out.println(style.bold(line(table.headers(), widths)));
        int terminalWidth = columns.getAsInt();
        int last = count - 1;
        int lastStart = 0;
        for (int c = 0; c < last; c++) {
            lastStart += widths[c] + GAP.length();
        }
        int room = terminalWidth - lastStart;
        boolean wrapLast = terminalWidth > 0 && lastStart + widths[last] > terminalWidth
                && room >= MIN_WRAPPED_WIDTH;
        for (List<String> row : table.rows()) {
            if (!wrapLast) {
                out.println(line(row, widths));
                continue;
            }
            List<String> pieces = TextWrap.wrap(cell(row, last), room);
            List<String> first = new java.util.ArrayList<>(row.subList(0, Math.min(last, row.size())));
            first.add(pieces.get(0));
            out.println(line(first, widths));
            for (String piece : pieces.subList(1, pieces.size())) {
                out.println(" ".repeat(lastStart) + piece);
            }
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
        int indent = width + 1 + GAP.length();
        int room = columns.getAsInt() - indent;
        for (Block.Field field : fields) {
            String name = field.name() + ":";
            List<String> lines = new java.util.ArrayList<>();
            for (String line : field.value().split("\n", -1)) {
                lines.addAll(columns.getAsInt() > 0 && room >= MIN_WRAPPED_WIDTH ? TextWrap.wrap(line, room) : List.of(line));
            }
            // A value of several lines keeps its column.
            String value = String.join("\n" + " ".repeat(indent), lines);
            out.println(style.bold(name) + " ".repeat(width + 1 - name.length() + GAP.length()) + value);
        }
    }
}
