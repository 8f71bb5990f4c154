package dev.relib.shell.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.file.Path;

/** The one Jackson configuration for shell output: ISO instants, paths as plain strings, addresses unsigned. */
public final class JsonMapper {

    private JsonMapper() {
    }

    public static ObjectMapper create() {
        SimpleModule paths = new SimpleModule("relib-paths");
        paths.addSerializer(Path.class, ToStringSerializer.instance);
        paths.setSerializerModifier(new UnsignedAddresses());
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(paths)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }
}
