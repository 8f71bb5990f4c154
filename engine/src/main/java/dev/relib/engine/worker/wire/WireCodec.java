package dev.relib.engine.worker.wire;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The worker socket's messages as JSON lines, read and written by the records' own shapes: a
 * record is an object of its components (null ones left out), a list an array, an enum its name,
 * a path its text, an instant or duration {@code [seconds, nanos]}, bytes Base64. A sealed
 * interface's record carries its name first, {@code "op":"check_load"} for {@code CheckLoad}. A
 * component declared {@code Object} (a call's result value) carries its class as well,
 * {@code ["i64",5]} or {@code ["f64","NaN"]}, so the shell gets the very value the engine made.
 *
 * <p>Both ends run the same jar (the handshake checks the protocol version), so the format needs
 * no more than this. It replaced Jackson on the socket, whose start cost a third of a short
 * script's CPU in the two JVMs (README, "Performance").
 */
public final class WireCodec {

    /** The member that names a sealed interface's record. */
    public static final String KIND = "op";

    private final Map<Class<?>, RecordShape> shapes = new ConcurrentHashMap<>();
    private final Map<Class<?>, Map<String, Class<?>>> subtypes = new ConcurrentHashMap<>();

    /** One line of JSON for {@code value}, written by its own class. */
    public String write(Object value) {
        StringBuilder text = new StringBuilder(128);
        write(new JsonWriter(text), value, null);
        return text.toString();
    }

    /** The value of {@code type} that {@code text} (one line of JSON) holds. */
    @SuppressWarnings("unchecked")
    public <T> T read(String text, Type type) {
        JsonReader in = new JsonReader(text);
        try {
            Object value = read(in, type);
            in.expectEnd();
            return (T) value;
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new WireFormatException("unreadable " + type.getTypeName() + ": " + e.getMessage(), e);
        }
    }

    /** {@code List<element>}, for {@link #read}. */
    public static Type listOf(Class<?> element) {
        return new ListType(element);
    }

    /** The name a sealed interface's record goes by: its simple name in snake case. */
    public static String kindOf(Class<?> record) {
        String simple = record.getSimpleName();
        StringBuilder name = new StringBuilder(simple.length() + 4);
        for (int i = 0; i < simple.length(); i++) {
            char c = simple.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    name.append('_');
                }
                name.append(Character.toLowerCase(c));
            } else {
                name.append(c);
            }
        }
        return name.toString();
    }

    /** {@code declared} null: by the value's own class. */
    private void write(JsonWriter out, Object value, Type declared) {
        if (value == null) {
            out.nullValue();
        } else if (declared == Object.class) {
            writeTagged(out, value);
        } else if (value instanceof RawJson raw) {
            out.raw(raw.text());
        } else if (value instanceof String text) {
            out.string(text);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            out.number(((Number) value).longValue());
        } else if (value instanceof Boolean bool) {
            out.bool(bool);
        } else if (value instanceof Enum<?> constant) {
            out.string(constant.name());
        } else if (value instanceof Path path) {
            out.string(path.toString());
        } else if (value instanceof Instant instant) {
            pair(out, instant.getEpochSecond(), instant.getNano());
        } else if (value instanceof Duration duration) {
            pair(out, duration.getSeconds(), duration.getNano());
        } else if (value instanceof byte[] bytes) {
            out.string(Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof Record) {
            Class<?> declaredClass = rawClass(declared);
            writeRecord(out, value, declaredClass != null && declaredClass.isSealed());
        } else if (value instanceof Collection<?> elements) {
            Type element = typeArgument(declared, 0);
            writeList(out, elements, e -> write(out, e, element));
        } else if (value instanceof Map<?, ?> map) {
            Type element = typeArgument(declared, 1);
            writeMap(out, map, e -> write(out, e, element));
        } else if (value instanceof Optional<?> optional) {
            write(out, optional.orElse(null), typeArgument(declared, 0));
        } else {
            throw new WireFormatException("no wire form for " + value.getClass().getName());
        }
    }

    private void writeRecord(JsonWriter out, Object record, boolean named) {
        RecordShape shape = shape(record.getClass());
        out.raw('{');
        boolean first = true;
        if (named) {
            out.name(KIND, true);
            out.string(kindOf(record.getClass()));
            first = false;
        }
        for (int i = 0; i < shape.size(); i++) {
            Object component = shape.get(record, i);
            if (component != null) {
                out.name(shape.name(i), first);
                first = false;
                write(out, component, shape.type(i));
            }
        }
        out.raw('}');
    }

    private static void writeList(JsonWriter out, Collection<?> elements, Consumer<Object> element) {
        out.raw('[');
        boolean first = true;
        for (Object e : elements) {
            if (!first) {
                out.raw(',');
            }
            first = false;
            element.accept(e);
        }
        out.raw(']');
    }

    private static void writeMap(JsonWriter out, Map<?, ?> map, Consumer<Object> value) {
        out.raw('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            out.name(String.valueOf(entry.getKey()), first);
            first = false;
            value.accept(entry.getValue());
        }
        out.raw('}');
    }

    private static List<Object> readList(JsonReader in, Supplier<Object> element) {
        List<Object> list = new ArrayList<>();
        in.expect('[');
        if (!in.consume(']')) {
            do {
                list.add(element.get());
            } while (in.consume(','));
            in.expect(']');
        }
        return list;
    }

    private static Map<String, Object> readMap(JsonReader in, Supplier<Object> value) {
        Map<String, Object> map = new LinkedHashMap<>();
        in.expect('{');
        if (!in.consume('}')) {
            do {
                String key = in.string();
                in.expect(':');
                map.put(key, value.get());
            } while (in.consume(','));
            in.expect('}');
        }
        return map;
    }

    private static void pair(JsonWriter out, long seconds, int nanos) {
        out.raw('[');
        out.number(seconds);
        out.raw(',');
        out.number(nanos);
        out.raw(']');
    }

    private Object read(JsonReader in, Type type) {
        Class<?> raw = rawClass(type);
        if (raw == Optional.class) {
            return in.consumeNull() ? Optional.empty() : Optional.of(read(in, typeArgument(type, 0)));
        }
        if (raw == RawJson.class) {
            return new RawJson(in.skipValue());
        }
        if (in.consumeNull()) {
            return null;
        }
        if (raw == Object.class) {
            return readTagged(in);
        }
        if (raw == String.class) {
            return in.string();
        }
        if (raw == long.class || raw == Long.class) {
            return in.number();
        }
        if (raw == int.class || raw == Integer.class) {
            long number = in.number();
            if (number != (int) number) {
                throw new WireFormatException(number + " is out of range of an int");
            }
            return (int) number;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return in.bool();
        }
        if (raw == Path.class) {
            return Path.of(in.string());
        }
        if (raw == Instant.class || raw == Duration.class) {
            in.expect('[');
            long seconds = in.number();
            in.expect(',');
            long nanos = in.number();
            in.expect(']');
            return raw == Instant.class ? Instant.ofEpochSecond(seconds, nanos) : Duration.ofSeconds(seconds, nanos);
        }
        if (raw == byte[].class) {
            try {
                return Base64.getDecoder().decode(in.string());
            } catch (IllegalArgumentException e) {
                throw new WireFormatException("bytes that are not Base64: " + e.getMessage());
            }
        }
        if (raw != null && raw.isEnum()) {
            return constant(raw, in.string());
        }
        if (raw != null && raw.isRecord()) {
            in.expect('{');
            return readMembers(in, shape(raw), false);
        }
        if (raw != null && raw.isSealed()) {
            return readNamed(in, raw);
        }
        if (raw == List.class || raw == Collection.class) {
            Type element = typeArgument(type, 0);
            return readList(in, () -> read(in, element));
        }
        if (raw == Map.class && typeArgument(type, 0) == String.class) {
            Type element = typeArgument(type, 1);
            return readMap(in, () -> read(in, element));
        }
        throw new WireFormatException("no wire form for " + type.getTypeName());
    }

    /** A sealed interface's record: its name first, then its components. */
    private Object readNamed(JsonReader in, Class<?> sealed) {
        in.expect('{');
        if (!in.string().equals(KIND)) {
            throw new WireFormatException("a " + sealed.getSimpleName() + " without its \"" + KIND + "\" first");
        }
        in.expect(':');
        String kind = in.string();
        Class<?> record = subtypes.computeIfAbsent(sealed, WireCodec::namedSubtypes).get(kind);
        if (record == null) {
            throw new WireFormatException("no " + sealed.getSimpleName() + " named \"" + kind + "\"");
        }
        return readMembers(in, shape(record), true);
    }

    /** The members after the object's '{' (and its name, when {@code named}), up to its '}'. */
    private Object readMembers(JsonReader in, RecordShape shape, boolean named) {
        Object[] values = new Object[shape.size()];
        boolean more = named ? in.consume(',') : in.peek() != '}';
        if (more) {
            do {
                String name = in.string();
                in.expect(':');
                int index = shape.index(name);
                if (index < 0) {
                    in.skipValue();
                } else {
                    values[index] = read(in, shape.type(index));
                }
            } while (in.consume(','));
        }
        in.expect('}');
        return shape.create(values);
    }

    private RecordShape shape(Class<?> record) {
        return shapes.computeIfAbsent(record, RecordShape::new);
    }

    private static Map<String, Class<?>> namedSubtypes(Class<?> sealed) {
        Map<String, Class<?>> byName = new HashMap<>();
        for (Class<?> subtype : sealed.getPermittedSubclasses()) {
            byName.put(kindOf(subtype), subtype);
        }
        return byName;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object constant(Class<?> type, String name) {
        try {
            return Enum.valueOf((Class) type, name);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("no " + type.getSimpleName() + " named \"" + name + "\"");
        }
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return null;
    }

    /** The type's {@code index}th type argument; null (by the value's own class) when it has none. */
    private static Type typeArgument(Type type, int index) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : null;
    }

    /** {@code List<element>}. */
    private record ListType(Class<?> element) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return new Type[] {element};
        }

        @Override
        public Type getRawType() {
            return List.class;
        }

        @Override
        public Type getOwnerType() {
            return null;
        }
    }

    /**
     * A value in a component declared {@code Object}: {@code ["class", value]}; a struct's fields
     * (a map in declaration order) and an array's elements are such values too.
     */
    private void writeTagged(JsonWriter out, Object value) {
        out.raw('[');
        if (value instanceof Long n) {
            tag(out, "i64").number(n);
        } else if (value instanceof Integer n) {
            tag(out, "i32").number(n);
        } else if (value instanceof Short n) {
            tag(out, "i16").number(n);
        } else if (value instanceof Byte n) {
            tag(out, "i8").number(n);
        } else if (value instanceof Boolean b) {
            tag(out, "bool").bool(b);
        } else if (value instanceof String s) {
            tag(out, "str").string(s);
        } else if (value instanceof Character c) {
            tag(out, "char").string(c.toString());
        } else if (value instanceof BigInteger n) {
            tag(out, "big").string(n.toString());
        } else if (value instanceof Double d) {
            tag(out, "f64").string(d.toString());
        } else if (value instanceof Float f) {
            tag(out, "f32").string(f.toString());
        } else if (value instanceof Map<?, ?> fields) {
            writeMap(tag(out, "map"), fields, field -> write(out, field, Object.class));
        } else if (value instanceof List<?> elements) {
            writeList(tag(out, "list"), elements, element -> write(out, element, Object.class));
        } else {
            throw new WireFormatException("no wire form for a value of " + value.getClass().getName());
        }
        out.raw(']');
    }

    private static JsonWriter tag(JsonWriter out, String tag) {
        out.string(tag);
        out.raw(',');
        return out;
    }

    private Object readTagged(JsonReader in) {
        in.expect('[');
        String tag = in.string();
        in.expect(',');
        Object value = switch (tag) {
            case "i64" -> in.number();
            case "i32" -> (int) in.number();
            case "i16" -> (short) in.number();
            case "i8" -> (byte) in.number();
            case "bool" -> in.bool();
            case "str" -> in.string();
            case "char" -> in.string().charAt(0);
            case "big" -> new BigInteger(in.string());
            case "f64" -> Double.parseDouble(in.string());
            case "f32" -> Float.parseFloat(in.string());
            case "map" -> readMap(in, () -> read(in, Object.class));
            case "list" -> readList(in, () -> read(in, Object.class));
            default -> throw new WireFormatException("no value class \"" + tag + "\"");
        };
        in.expect(']');
        return value;
    }
}
