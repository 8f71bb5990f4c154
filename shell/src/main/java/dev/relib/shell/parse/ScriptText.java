package dev.relib.shell.parse;

import dev.relib.shell.UsageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A script file's text: UTF-8, or one message naming the file and the first bad byte's offset. */
public final class ScriptText {

    private ScriptText() {
    }

    /**
     * @throws UsageException when the file is not UTF-8
     * @throws IOException    when it cannot be read
     */
    public static String read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            int bad = Math.max(firstBad(bytes), 0);
            throw new UsageException(file + ": not UTF-8 text (byte 0x" + String.format("%02x", bytes[bad] & 0xFF)
                    + " at offset " + bad + "); save the script as UTF-8");
        }
    }

    /** The offset of the first byte that does not decode. */
    private static int firstBad(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        var out = java.nio.CharBuffer.allocate(bytes.length + 1);
        var result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : -1;
    }
}
