package dev.relib.engine.worker.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.Engine;
import dev.relib.engine.model.CallResult;
import dev.relib.engine.model.MemoryBytes;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.TypedValue;
import dev.relib.engine.worker.WorkerRequest;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WireCodecTest {

    private final WireCodec wire = new WireCodec();

    /** Every request the shell sends, and every record an engine method answers with. */
    static Stream<Class<?>> wireRecords() {
        Set<Class<?>> records = new HashSet<>(List.of(WorkerRequest.class.getPermittedSubclasses()));
        for (Method method : Engine.class.getMethods()) {
            collectRecords(method.getGenericReturnType(), records);
        }
        return records.stream().filter(Class::isRecord);
    }

    @ParameterizedTest
    @MethodSource("wireRecords")
    void everyMessageRecordComesBackAsItWasSent(Class<?> record) {
        Object sent = new Samples().of(record);

        String line = wire.write(sent);

        assertThat(line).doesNotContain("\n");
        assertThat((Object) wire.read(line, record)).usingRecursiveComparison().isEqualTo(sent);
    }

    @Test
    void aRequestIsNamedByItsRecordAndReadBackAsThatRecord() {
        record Envelope(long id, WorkerRequest request) {
        }
        Envelope sent = new Envelope(7, new WorkerRequest.CheckLoad(Path.of("lib/x.so")));

        String line = wire.write(sent);

        assertThat(line).isEqualTo("{\"id\":7,\"request\":{\"op\":\"check_load\",\"path\":\"lib/x.so\"}}");
        assertThat((Object) wire.read(line, Envelope.class)).isEqualTo(sent);
    }

    @Test
    void everyRequestHasANameOfItsOwn() {
        List<String> names = Stream.of(WorkerRequest.class.getPermittedSubclasses()).map(WireCodec::kindOf).toList();

        assertThat(names).doesNotHaveDuplicates().contains("load", "read_c_string", "continue_module_ids");
    }

    /** The value of a call's result is an Object: the shell must get the class the engine made, not one JSON number. */
    @Test
    void aResultValueKeepsItsClass() {
        List<Object> values = List.of(5L, -1, (short) 3, (byte) -2, new BigInteger("18446744073709551615"), 1.5,
                Double.NaN, Double.NEGATIVE_INFINITY, -0.0, 2.5f, true, "ok", 'x');
        for (Object value : values) {
            TypedValue sent = new TypedValue("t", 16, value, "d");

            TypedValue read = wire.read(wire.write(sent), TypedValue.class);

            assertThat(read.value()).as("%s", value).isEqualTo(value).hasSameClassAs(value);
        }
        assertThat(wire.<TypedValue>read(wire.write(new TypedValue("t", 0, null, "()")), TypedValue.class).value()).isNull();
    }

    /** A struct result is its fields in declaration order, an RVec's its elements, each a value of its own class. */
    @Test
    void aStructOrArrayResultKeepsItsFieldsOrderAndClasses() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1.25);
        inner.put("a", (byte) 7);
        Map<String, Object> struct = new LinkedHashMap<>();
        struct.put("y", -2L);
        struct.put("x", new BigInteger("18446744073709551615"));
        struct.put("inner", inner);
        struct.put("items", List.of(1, "two", List.of()));
        struct.put("none", null);
        TypedValue sent = new TypedValue("Outer", 8, struct, "Outer {..}");

        TypedValue read = wire.read(wire.write(sent), TypedValue.class);

        assertThat(read).isEqualTo(sent);
        Map<?, ?> fields = (Map<?, ?>) read.value();
        assertThat(List.<Object>copyOf(fields.keySet())).containsExactly("y", "x", "inner", "items", "none");
        assertThat(((Map<?, ?>) fields.get("inner")).get("a")).isInstanceOf(Byte.class);
        assertThat(((List<?>) fields.get("items")).get(0)).isInstanceOf(Integer.class);
    }

    @Test
    void aValueWithNoWireFormIsRefusedByName() {
        TypedValue sent = new TypedValue("t", 0, new StringBuilder("x"), "d");

        assertThatThrownBy(() -> wire.write(sent)).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("java.lang.StringBuilder");
    }

    @Test
    void stringsComeBackWhateverTheyHold() {
        String awkward = "line\nnext\r\t\"quoted\" back\\slash \u0000 \u001f é 漢 \uD83D\uDE00 lone \uD800 end";
        TypedValue sent = new TypedValue(awkward, 0, awkward, awkward);

        String line = wire.write(sent);

        assertThat(line).doesNotContain("\n", "\r", "\u0000", "\uD800");
        assertThat((Object) wire.read(line, TypedValue.class)).isEqualTo(sent);
    }

    @Test
    void bytesInstantsAndDurationsComeBackExactly() {
        MemoryBytes bytes = new MemoryBytes(-1L, new byte[] {0, -1, 127, -128, 10});
        Instant instant = Instant.ofEpochSecond(1_700_000_000L, 123_456_789);
        Duration duration = Duration.ofSeconds(-3, 5);

        assertThat(wire.<MemoryBytes>read(wire.write(bytes), MemoryBytes.class).bytes()).containsExactly(bytes.bytes());
        assertThat(wire.<Instant>read(wire.write(instant), Instant.class)).isEqualTo(instant);
        assertThat(wire.<Duration>read(wire.write(duration), Duration.class)).isEqualTo(duration);
    }

    @Test
    void aListIsReadAsTheListItsSenderWrote() {
        List<Long> sent = List.of(Long.MIN_VALUE, 0L, Long.MAX_VALUE);

        List<Long> read = wire.read(wire.write(sent), new ParameterizedType() {
            public Type[] getActualTypeArguments() {
                return new Type[] {Long.class};
            }

            public Type getRawType() {
                return List.class;
            }

            public Type getOwnerType() {
                return null;
            }
        });

        assertThat(read).isEqualTo(sent);
    }

    @Test
    void membersTheRecordDoesNotHaveAreSkippedAndMissingOnesAreEmpty() {
        record Point(long x, int y, boolean z, String name) {
        }

        Point read = wire.read("{\"extra\":{\"a\":[1,2,{\"b\":null}],\"c\":\"}\"},\"x\":3}", Point.class);

        assertThat(read).isEqualTo(new Point(3, 0, false, null));
    }

    @Test
    void aResultStaysTextUntilItsTypeIsKnown() {
        record Response(long id, RawJson result) {
        }
        Response sent = new Response(1, new RawJson(wire.write(List.of("a", "b"))));

        Response read = wire.read(wire.write(sent), Response.class);

        assertThat(read.result().text()).isEqualTo("[\"a\",\"b\"]");
    }

    @Test
    void aBrokenLineSaysWhatWasExpectedAndWhere() {
        assertThatThrownBy(() -> wire.read("{\"id\":7,\"request\":{\"op\":\"load\"", ModuleInfo.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("column");
        assertThatThrownBy(() -> wire.read("{\"op\":\"no_such_thing\"}", WorkerRequest.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("no_such_thing");
        assertThatThrownBy(() -> wire.read("{\"value\":[\"i64\",\"five\"]}", CallResult.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("an integer");
        assertThatThrownBy(() -> wire.read("{} trailing", TypedValue.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("the end of the line");
        assertThatThrownBy(() -> wire.read("{\"address\":4294967296000000000000}", TypedValue.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("an integer");
    }

    private static void collectRecords(Type type, Set<Class<?>> records) {
        if (type instanceof ParameterizedType p) {
            for (Type argument : p.getActualTypeArguments()) {
                collectRecords(argument, records);
            }
        } else if (type instanceof Class<?> c && c.isRecord() && records.add(c)) {
            for (RecordComponent component : c.getRecordComponents()) {
                collectRecords(component.getGenericType(), records);
            }
        }
    }

    /** A value of every type the records use, each different from the last, none of them a default. */
    private static final class Samples {
        private long next = 1;

        Object of(Type type) {
            long n = next++;
            if (type instanceof ParameterizedType p) {
                Class<?> raw = (Class<?>) p.getRawType();
                Type[] arguments = p.getActualTypeArguments();
                if (raw == List.class) {
                    List<Object> list = new ArrayList<>();
                    list.add(of(arguments[0]));
                    list.add(of(arguments[0]));
                    return list;
                }
                if (raw == Map.class) {
                    Map<Object, Object> map = new LinkedHashMap<>();
                    map.put("key" + n, of(arguments[1]));
                    return map;
                }
                if (raw == Optional.class) {
                    return Optional.of(of(arguments[0]));
                }
                throw new AssertionError("no sample of " + type);
            }
            Class<?> c = (Class<?>) type;
            if (c == long.class || c == Long.class) {
                return n * 1_000_003L;
            }
            if (c == int.class || c == Integer.class) {
                return (int) n;
            }
            if (c == boolean.class || c == Boolean.class) {
                return true;
            }
            if (c == String.class) {
                return "text " + n;
            }
            if (c == Object.class) {
                return n % 2 == 0 ? (Object) (n * 7) : "value " + n;
            }
            if (c == Path.class) {
                return Path.of("/tmp/sample" + n + ".so");
            }
            if (c == Instant.class) {
                return Instant.ofEpochSecond(1_600_000_000L + n, n);
            }
            if (c == Duration.class) {
                return Duration.ofMillis(n);
            }
            if (c == byte[].class) {
                return new byte[] {(byte) n, -1};
            }
            if (c.isEnum()) {
                Object[] constants = c.getEnumConstants();
                return constants[(int) (n % constants.length)];
            }
            if (c.isRecord()) {
                RecordComponent[] components = c.getRecordComponents();
                Object[] values = new Object[components.length];
                Class<?>[] types = new Class<?>[components.length];
                for (int i = 0; i < components.length; i++) {
                    values[i] = of(components[i].getGenericType());
                    types[i] = components[i].getType();
                }
                try {
                    var constructor = c.getDeclaredConstructor(types);
                    constructor.setAccessible(true);
                    return constructor.newInstance(values);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError("no sample of " + c, e);
                }
            }
            throw new AssertionError("no sample of " + c);
        }
    }
}
