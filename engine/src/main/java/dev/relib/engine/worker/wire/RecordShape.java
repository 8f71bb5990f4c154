package dev.relib.engine.worker.wire;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Map;

/** A record class as the codec sees it: its components' names, types and accessors, and its canonical constructor. */
final class RecordShape {

    private final Class<?> type;
    private final String[] names;
    private final Type[] types;
    private final Method[] accessors;
    private final Constructor<?> constructor;
    private final Map<String, Integer> indexes = new HashMap<>();

    RecordShape(Class<?> type) {
        this.type = type;
        RecordComponent[] components = type.getRecordComponents();
        names = new String[components.length];
        types = new Type[components.length];
        accessors = new Method[components.length];
        Class<?>[] raw = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            names[i] = components[i].getName();
            types[i] = components[i].getGenericType();
            accessors[i] = components[i].getAccessor();
            raw[i] = components[i].getType();
            indexes.put(names[i], i);
        }
        try {
            constructor = type.getDeclaredConstructor(raw);
            // Nested records of package-private interfaces (the worker's requests) are not public.
            constructor.setAccessible(true);
            for (Method accessor : accessors) {
                accessor.setAccessible(true);
            }
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new WireFormatException("no wire form for " + type.getName() + ": " + e, e);
        }
    }

    int size() {
        return names.length;
    }

    String name(int component) {
        return names[component];
    }

    Type type(int component) {
        return types[component];
    }

    /** The component's index, or -1 for a name the record does not have. */
    int index(String name) {
        Integer index = indexes.get(name);
        return index == null ? -1 : index;
    }

    Object get(Object record, int component) {
        try {
            return accessors[component].invoke(record);
        } catch (IllegalAccessException e) {
            throw new WireFormatException("cannot read " + type.getName() + "." + names[component], e);
        } catch (InvocationTargetException e) {
            throw unwrapped(e);
        }
    }

    /** A record of these values; a missing primitive component is its zero, as the JVM's default. */
    Object create(Object[] values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null && types[i] instanceof Class<?> c && c.isPrimitive()) {
                values[i] = zero(c);
            }
        }
        try {
            return constructor.newInstance(values);
        } catch (InstantiationException | IllegalAccessException e) {
            throw new WireFormatException("cannot make a " + type.getName(), e);
        } catch (InvocationTargetException e) {
            throw unwrapped(e);
        }
    }

    private static Object zero(Class<?> primitive) {
        if (primitive == boolean.class) {
            return false;
        }
        if (primitive == long.class) {
            return 0L;
        }
        if (primitive == int.class) {
            return 0;
        }
        throw new WireFormatException("no wire form for " + primitive);
    }

    /** A record's own check (its compact constructor) failing is the value's problem, as it was in the sender. */
    private static RuntimeException unwrapped(InvocationTargetException e) {
        return e.getCause() instanceof RuntimeException runtime ? runtime
                : new WireFormatException(String.valueOf(e.getCause()), e.getCause());
    }
}
