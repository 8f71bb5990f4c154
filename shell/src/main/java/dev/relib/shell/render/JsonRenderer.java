package dev.relib.shell.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.ModuleOutput;
import dev.relib.engine.model.UnloadReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One JSON object per command on stdout:
 * {@code {"command":..., "ok":true|false, "result":{...}, "error":{"code":..., "message":...}}}.
 * {@code result} is present when the command produced one (also when its check failed),
 * {@code error} when it failed; a crash adds the crash report's fields to {@code error}. A line a
 * module printed in the worker is a line of its own, {@code {"output":"stdout"|"stderr", "text":...}},
 * before the command's object. What a background task produced (a watch's reload) is an object
 * like a command's whose {@code command} is its origin ({@code "watch versioned"}).
 */
public final class JsonRenderer implements Renderer {

    private static final List<Class<?>> FIRST_RESULTS = List.of(ModuleInfo.class, CallResult.class,
            AllocationReport.class, UnloadReport.class);

    private final PrintWriter out;
    private final ObjectMapper mapper;
    private final Consumer<String> moduleLines;

    public JsonRenderer(PrintWriter out) {
        this(out, line -> {
            out.println(line);
            out.flush();
        });
    }

    /** @param moduleLines prints one line of module output (above the prompt, in the REPL) */
    public JsonRenderer(PrintWriter out, Consumer<String> moduleLines) {
        this.out = out;
        this.mapper = JsonMapper.create();
        this.moduleLines = moduleLines;
        prepareFirstResults(mapper);
    }

    /**
     * Builds the serializers of the results a script's first load, call, allocs and unload print,
     * on a daemon thread while the worker JVM starts: each costs tens of milliseconds of Jackson's
     * reflection at first use, and the mapper caches them for every thread.
     */
    private static void prepareFirstResults(ObjectMapper mapper) {
        Thread thread = new Thread(() -> FIRST_RESULTS.forEach(mapper::writerFor), "relib-json-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void echo(String command) {
        // The command is part of its JSON line; nothing to print ahead of it.
    }

    @Override
    public synchronized void render(String command, Output output, Failure failure) {
        out.println(line(command, output, failure));
        out.flush();
    }

    /** The same object a command gets, with its origin as the command, printed like module output. */
    @Override
    public synchronized void background(String origin, Output output, Failure failure) {
        moduleLines.accept(line(origin, output, failure));
    }

    private String line(String command, Output output, Failure failure) {
        ObjectNode line = mapper.createObjectNode();
        line.put("command", command);
        line.put("ok", failure == null);
        if (output != null) {
            line.set("result", mapper.valueToTree(output.result()));
        }
        if (failure != null) {
            ObjectNode error = line.putObject("error");
            error.put("code", failure.code());
            error.put("message", failure.message());
            if (failure.details() != null && mapper.valueToTree(failure.details()) instanceof ObjectNode details) {
                details.fields().forEachRemaining(field -> error.set(field.getKey(), field.getValue()));
            }
        }
        try {
            return mapper.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + command, e);
        }
    }

    @Override
    public synchronized void moduleOutput(ModuleOutput line) {
        ObjectNode node = mapper.createObjectNode();
        node.put("output", line.stream().name().toLowerCase(Locale.ROOT));
        node.put("text", line.text());
        moduleLines.accept(node.toString());
    }
}
