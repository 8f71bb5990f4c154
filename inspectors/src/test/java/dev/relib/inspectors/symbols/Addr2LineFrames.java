package dev.relib.inspectors.symbols;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * binutils' {@code addr2line -a -i -f -C}: every frame of each address, inlined ones included,
 * innermost first, as the oracle for the symbolizer's frames.
 */
final class Addr2LineFrames {

    /** One frame as addr2line prints it: the function and "file:line", without a discriminator note. */
    record Expected(String function, String location) {
    }

    private Addr2LineFrames() {
    }

    static boolean available() {
        try {
            Process process = new ProcessBuilder("addr2line", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The frames of each address (object-relative virtual addresses), in the order given. */
    static Map<Long, List<Expected>> frames(Path object, List<Long> addresses) throws IOException, InterruptedException {
        Path input = Files.createTempFile("addr2line-", ".txt");
        try {
            StringBuilder text = new StringBuilder();
            addresses.forEach(a -> text.append("0x").append(Long.toHexString(a)).append('\n'));
            Files.writeString(input, text);
            Process process = new ProcessBuilder("addr2line", "-a", "-i", "-f", "-C", "-e", object.toString())
                    .redirectInput(input.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("addr2line failed: " + output);
            }
            return parse(output);
        } finally {
            Files.deleteIfExists(input);
        }
    }

    private static Map<Long, List<Expected>> parse(String output) {
        Map<Long, List<Expected>> frames = new LinkedHashMap<>();
        List<Expected> current = null;
        String[] lines = output.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("0x") && line.matches("0x[0-9a-f]+")) {
                current = new ArrayList<>();
                frames.put(Long.parseUnsignedLong(line.substring(2), 16), current);
                continue;
            }
            if (current == null || i + 1 >= lines.length) {
                throw new IllegalStateException("unexpected addr2line output at line " + i + ": " + line);
            }
            String location = lines[++i];
            int note = location.indexOf(" (discriminator");
            current.add(new Expected(line, note < 0 ? location : location.substring(0, note)));
        }
        return frames;
    }
}
