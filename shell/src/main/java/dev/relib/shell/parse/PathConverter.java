package dev.relib.shell.parse;

import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;

/** A path as typed, with a leading {@code ~} expanded as a login shell would (the shell does its own word splitting). */
public final class PathConverter implements ITypeConverter<Path> {

    @Override
    public Path convert(String value) {
        if (value.equals("~") || value.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + value.substring(1));
        }
        return Path.of(value);
    }
}
