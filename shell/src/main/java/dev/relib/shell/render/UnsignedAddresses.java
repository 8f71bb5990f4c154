package dev.relib.shell.render;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;

/**
 * Addresses are unsigned 64-bit: a {@code long} field that holds one ({@code address},
 * {@code start}, {@code end}, {@code baseAddress}, ...) is written as its unsigned value, so the
 * vsyscall page reads 18446744073709551615-ish, not negative (issue 16.7).
 */
final class UnsignedAddresses extends BeanSerializerModifier {

    private static final Set<String> WORDS = Set.of("address", "start", "end", "base", "pc", "sp", "ip", "bias");

    private static final JsonSerializer<Object> UNSIGNED = new JsonSerializer<>() {
        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            long raw = ((Number) value).longValue();
            if (raw >= 0) {
                gen.writeNumber(raw);
            } else {
                gen.writeNumber(new BigInteger(Long.toUnsignedString(raw)));
            }
        }
    };

    @Override
    public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription description,
                                                     List<BeanPropertyWriter> properties) {
        for (BeanPropertyWriter property : properties) {
            Class<?> type = property.getType().getRawClass();
            if ((type == long.class || type == Long.class) && isAddress(property.getName())) {
                property.assignSerializer(UNSIGNED);
            }
        }
        return properties;
    }

    /** {@code address}, {@code startAddress}, {@code baseAddress}, {@code end}: the word alone or as a camel-case part. */
    private static boolean isAddress(String name) {
        for (String word : WORDS) {
            String capitalized = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            boolean first = name.startsWith(word)
                    && (name.length() == word.length() || Character.isUpperCase(name.charAt(word.length())));
            if (first || name.endsWith(capitalized)) {
                return true;
            }
        }
        return false;
    }
}
