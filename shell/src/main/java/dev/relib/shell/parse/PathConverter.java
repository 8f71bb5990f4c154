package dev.relib.shell.parse;

import dev.relib.engine.files.UserDirectories;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;

/** A path as typed, with a leading {@code ~} expanded to {@code $HOME} as a login shell would (the shell does its own word splitting). */
public final class PathConverter implements ITypeConverter<Path> {

    @Override
    public Path convert(String value) {
        if (value.equals("~") || value.startsWith("~/")) {
            return Path.of(UserDirectories.ofThisProcess().home() + value.substring(1));
        }
        return Path.of(value);
    }
}
