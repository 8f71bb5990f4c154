package dev.relib.inspectors.symbols;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** binutils' addr2line, the reference the symbolizer is checked against. */
final class Addr2Line {

    private Addr2Line() {
    }

    /** "file:line" for each address, as addr2line prints it without its " (discriminator N)" note. */
    static List<String> locations(Path object, List<Long> addresses) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("addr2line", "-e", object.toString()));
        addresses.forEach(a -> command.add("0x" + Long.toHexString(a)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("addr2line failed: " + output);
        }
        List<String> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            int note = line.indexOf(" (discriminator");
            lines.add(note < 0 ? line : line.substring(0, note));
        }
        return lines;
    }
}
