package dev.relib.shell.parse;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, or ISO-8601 {@code PT2S}. */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        Duration duration = parse(value);
        // 0ms would end the worker before any call could return (issue 16.7); "off" says "no limit".
        if (duration.isZero() || duration.isNegative()) {
            throw new TypeConversionException("'" + value + "' is no time at all; give a positive duration, e.g. 500ms"
                    + " (set timeout off removes the limit)");
        }
        return duration;
    }

    private static Duration parse(String value) {
        Matcher m = SIMPLE.matcher(value.strip());
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            long nanosPerUnit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            return Duration.ofNanos(Math.round(amount * nanosPerUnit));
        }
        try {
            return Duration.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not a duration; write a number and a unit, e.g. 500ms, 2s or 1m");
        }
    }
}
