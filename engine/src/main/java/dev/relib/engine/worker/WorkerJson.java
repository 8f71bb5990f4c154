package dev.relib.engine.worker;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.UnloadReport;
import java.util.List;

/** The one JSON configuration both ends of the worker socket use. */
final class WorkerJson {

    /** What a script's first load, call, allocs and unload carry back: see {@link #prepareShellEnd}. */
    private static final List<Class<?>> FIRST_ANSWERS = List.of(ModuleInfo.class, CallResult.class,
            AllocationReport.class, UnloadReport.class);

    private WorkerJson() {
    }

    /**
     * Builds, on a daemon thread, the deserializers of the first answers and the serializer of the
     * requests, while the shell waits anyway for the worker JVM to start. Each costs tens of
     * milliseconds of reflection when first used (bench/run's ShellBench rows); the mapper caches
     * what is built, for every thread.
     */
    static void prepareShellEnd(ObjectMapper json) {
        inBackground(() -> {
            json.writerFor(WorkerMessages.Envelope.class);
            json.readerFor(WorkerMessages.Response.class);
            FIRST_ANSWERS.forEach(json::readerFor);
        });
    }

    /** As {@link #prepareShellEnd} for the worker's end, while its engine starts. */
    static void prepareWorkerEnd(ObjectMapper json) {
        inBackground(() -> {
            json.readerFor(WorkerMessages.Envelope.class);
            json.writerFor(WorkerMessages.Response.class);
            FIRST_ANSWERS.forEach(json::writerFor);
        });
    }

    private static void inBackground(Runnable work) {
        Thread thread = new Thread(work, "relib-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    static ObjectMapper mapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                // f64 results may be NaN or infinite; JSON has no words for them, so allow the literals.
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }
}
