package dev.relib.engine.call;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A function's parameter and return types.
 *
 * @param name       the function's name as written, or null when the text named none
 * @param parameters parameter types in order
 * @param returnType {@link ValueType.Scalar#UNIT} when the function returns nothing
 */
public record Signature(String name, List<ValueType> parameters, ValueType returnType) {

    public Signature {
        parameters = List.copyOf(parameters);
        if (returnType == null) {
            throw new IllegalArgumentException("returnType is required; use Scalar.UNIT for none");
        }
    }

    /** {@code add(i32, i32) -> i32}, {@code (u32) -> &str}, {@code reset()}: names dropped, unit return omitted. */
    public String canonical() {
        String params = parameters.stream().map(ValueType::text).collect(Collectors.joining(", "));
        String head = (name == null ? "" : name) + "(" + params + ")";
        return returnType == ValueType.Scalar.UNIT ? head : head + " -> " + returnType.text();
    }

    public Signature withName(String newName) {
        return new Signature(newName, parameters, returnType);
    }

    /** Same parameter and return types, whatever the names. */
    public boolean sameTypes(Signature other) {
        return parameters.equals(other.parameters) && returnType.equals(other.returnType);
    }

    /** Native arguments after expanding each (pointer, length) pair into two. */
    public int nativeArgumentCount() {
        return parameters.stream().mapToInt(ValueType::nativeSlots).sum();
    }

    @Override
    public String toString() {
        return canonical();
    }
}
