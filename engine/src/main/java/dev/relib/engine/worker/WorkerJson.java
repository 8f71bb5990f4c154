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

    /** What a script's first load, call, allocs and unload carry back: see {@link #prepare}. */
    private static final List<Class<?>> FIRST_ANSWERS = List.of(ModuleInfo.class, CallResult.class,
            AllocationReport.class, UnloadReport.class);

    private WorkerJson() {
    }

    /**
     * Builds the (de)serializers the first requests of a session need, so that an end builds them
     * while it waits anyway: the shell for the worker JVM's start, the worker for its engine's. Each
     * costs tens of milliseconds of reflection when first used (bench/run's ShellBench rows); the
     * mapper caches what is built, for every thread.
     */
    static void prepare(ObjectMapper json, boolean worker) {
        if (worker) {
            json.readerFor(WorkerMessages.Envelope.class);
            json.writerFor(WorkerMessages.Response.class);
            FIRST_ANSWERS.forEach(json::writerFor);
        } else {
            json.writerFor(WorkerMessages.Envelope.class);
            json.readerFor(WorkerMessages.Response.class);
            FIRST_ANSWERS.forEach(json::readerFor);
        }
    }

    /** Runs {@code work} on a daemon thread: warming up never holds up the end that asked for it. */
    static void inBackground(Runnable work) {
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
