package dev.relib.shell.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;

/**
 * One JSON object per command on stdout:
 * {@code {"command":..., "ok":true|false, "result":{...}, "error":{"code":..., "message":...}}}.
 * {@code result} is present when the command produced one (also when its check failed),
 * {@code error} when it failed.
 */
public final class JsonRenderer implements Renderer {

    private final PrintWriter out;
    private final ObjectMapper mapper;

    public JsonRenderer(PrintWriter out) {
        this.out = out;
        this.mapper = JsonMapper.create();
    }

    @Override
    public void echo(String command) {
        // The command is part of its JSON line; nothing to print ahead of it.
    }

    @Override
    public void render(String command, Output output, Failure failure) {
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
        }
        try {
            out.println(mapper.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + command, e);
        }
        out.flush();
    }
}
