package dev.relib.engine.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kenai.jffi.MemoryIO;
import dev.relib.engine.error.CallError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** abi_stable values laid out in native memory as a relib module's box holds them, read back. */
class AbiStableCodecTest {

    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    private final List<Long> blocks = new ArrayList<>();

    private long allocate(long size) {
        long address = MEMORY.allocateMemory(size, true);
        blocks.add(address);
        return address;
    }

    @AfterEach
    void free() {
        blocks.forEach(MEMORY::freeMemory);
    }

    private static ValueType type(String text) {
        return SignatureParser.parse("() -> " + text).returnType();
    }

    /** {buffer, length, capacity, vtable}: RVec and RString. */
    private long vec(long buffer, long length) {
        long vec = allocate(32);
        MEMORY.putAddress(vec, buffer);
        MEMORY.putLong(vec + 8, length);
        MEMORY.putLong(vec + 16, length);
        return vec;
    }

    @Test
    void readsAnRStringAndAnRStr() {
        byte[] text = "ret_heap_main".getBytes(StandardCharsets.UTF_8);
        long bytes = allocate(text.length);
        MEMORY.putByteArray(bytes, text, 0, text.length);

        assertThat(AbiStableCodec.read(type("RString"), vec(bytes, text.length)).value()).isEqualTo("ret_heap_main");
        long str = allocate(16);
        MEMORY.putAddress(str, bytes + 4);
        MEMORY.putLong(str + 8, 4);
        assertThat(AbiStableCodec.read(type("RStr"), str).display()).isEqualTo("\"heap\"");
    }

    @Test
    void readsAnRVecOfU32AndSaysHowLongALongOneIs() {
        long elements = allocate(4L * 5000);
        for (int i = 0; i < 5000; i++) {
            MEMORY.putInt(elements + 4L * i, i + 1);
        }

        ReturnValue three = AbiStableCodec.read(type("RVec<u32>"), vec(elements, 3));
        assertThat(three.value()).isEqualTo(List.of(1L, 2L, 3L));
        assertThat(three.display()).isEqualTo("[1, 2, 3]");

        ReturnValue many = AbiStableCodec.read(type("RVec<u32>"), vec(elements, 5000));
        assertThat((List<?>) many.value()).hasSize(AbiStableCodec.ELEMENT_LIMIT);
        assertThat(many.display()).startsWith("[1, 2, 3,").contains(", ...] (5000 elements; the value holds the first 4096)");
        assertThat(AbiStableCodec.read(type("RVec<u8>"), vec(0, 0)).display()).isEqualTo("[]");
    }

    @Test
    void readsROptionWithTheValueAtItsAlignment() {
        long option = allocate(8);
        MEMORY.putByte(option, (byte) 0);
        MEMORY.putInt(option + 4, 7);
        assertThat(AbiStableCodec.size(type("ROption<u32>"))).isEqualTo(8);
        assertThat(AbiStableCodec.read(type("ROption<u32>"), option).display()).isEqualTo("RSome(7)");

        MEMORY.putByte(option, (byte) 1);
        ReturnValue none = AbiStableCodec.read(type("ROption<u32>"), option);
        assertThat(none.value()).isNull();
        assertThat(none.display()).isEqualTo("RNone");

        MEMORY.putByte(option, (byte) 9);
        assertThat(AbiStableCodec.read(type("ROption<u32>"), option).display()).contains("invalid ROption (tag 9");
    }

    @Test
    void encodesAnROptionArgumentAsItsRegisterBits() {
        AbiStableType option = (AbiStableType) type("ROption<u32>");

        assertThat(AbiStableCodec.encodeOption(0, option, "RSome(7)")).isEqualTo(7L << 32);
        assertThat(AbiStableCodec.encodeOption(0, option, "7")).isEqualTo(7L << 32);
        assertThat(AbiStableCodec.encodeOption(0, option, "RNone")).isEqualTo(1L);
        assertThat(AbiStableCodec.encodeOption(0, (AbiStableType) type("ROption<u8>"), "Some(255)")).isEqualTo(0xFF00L);
        assertThatThrownBy(() -> AbiStableCodec.encodeOption(1, option, "RSome(-1)"))
                .isInstanceOf(CallError.BadArgument.class).hasMessageContaining("argument 2");
    }

    @Test
    void parsesTheTypesCanonically() {
        assertThat(SignatureParser.parse("f(r: RStr<'_>, o: ROption<u8>) -> RVec<RString>").canonical())
                .isEqualTo("f(RStr, ROption<u8>) -> RVec<RString>");
    }
}
