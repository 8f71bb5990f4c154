package dev.relib.engine.call;

import com.kenai.jffi.MemoryIO;
import dev.relib.engine.error.CallError;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Reads values laid out as Rust lays them out in a relib module's memory (a boxed return), and
 * encodes {@code ROption} arguments. Layouts (abi_stable 0.11, read from genuine modules' DWARF):
 * {@code RStr}/{@code RSlice<T>} = {ptr @0, len @8}; {@code RVec<T>}/{@code RString} = {buffer @0,
 * length @8, capacity @16, vtable @24}; {@code ROption<T>} = tag u8 @0 (RSome 0, RNone 1), then T
 * at its alignment. Everything read is copied out, so the module may free it right after.
 */
public final class AbiStableCodec {

    /** Elements of an RVec or RSlice read into the value; the display says when there were more. */
    static final int ELEMENT_LIMIT = 4096;
    /** Elements the display lists before "...". */
    private static final int SHOWN_ELEMENTS = 32;
    private static final byte RSOME = 0;
    private static final byte RNONE = 1;
    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private AbiStableCodec() {
    }

    /** Size in bytes of a value of this type in memory. */
    public static long size(ValueType type) {
        if (type instanceof ValueType.Scalar scalar) {
            return scalar == ValueType.Scalar.UNIT ? 0 : Math.max(1, scalar.bits() / 8);
        }
        if (type instanceof AbiStableType abi) {
            return switch (abi.kind()) {
                case RSTR, RSLICE -> 16;
                case RSTRING, RVEC -> 32;
                case ROPTION -> roundUp(align(abi.element()) + size(abi.element()), align(type));
            };
        }
        return type instanceof ValueType.FatPointer ? 16 : 8;
    }

    static long align(ValueType type) {
        if (type instanceof ValueType.Scalar) {
            return Math.max(1, size(type));
        }
        if (type instanceof AbiStableType abi && abi.kind() == AbiStableType.Kind.ROPTION) {
            return align(abi.element());
        }
        return 8;
    }

    /** Reads the value of {@code type} stored at {@code address}. */
    public static ReturnValue read(ValueType type, long address) {
        if (type instanceof ValueType.Scalar scalar) {
            return ReturnDecoder.register(scalar, load(address, size(scalar)));
        }
        if (type instanceof ValueType.FatPointer) {
            return ReturnDecoder.pair(type, MEMORY.getAddress(address), MEMORY.getLong(address + 8));
        }
        if (!(type instanceof AbiStableType abi)) {
            return ReturnDecoder.register(type, MEMORY.getAddress(address));
        }
        long pointer = MEMORY.getAddress(address);
        long length = MEMORY.getLong(address + 8);
        return switch (abi.kind()) {
            case RSTR, RSTRING -> ReturnDecoder.pair(ValueType.FatPointer.STR, pointer, length);
            case RVEC, RSLICE -> elements(abi.element(), pointer, length);
            case ROPTION -> option(abi, address);
        };
    }

    private static ReturnValue option(AbiStableType option, long address) {
        byte tag = MEMORY.getByte(address);
        if (tag == RNONE) {
            return new ReturnValue(null, "RNone");
        }
        if (tag != RSOME) {
            return new ReturnValue(null, "invalid ROption (tag " + (tag & 0xFF) + ", expected 0 for RSome or 1 for RNone)");
        }
        ReturnValue inner = read(option.element(), address + align(option.element()));
        return new ReturnValue(inner.value(), "RSome(" + inner.display() + ")");
    }

    private static ReturnValue elements(ValueType element, long pointer, long length) {
        if (length == 0) {
            return new ReturnValue(List.of(), "[]");
        }
        if (pointer == 0) {
            return new ReturnValue(null, "null pointer with length " + Long.toUnsignedString(length));
        }
        long stride = roundUp(size(element), align(element));
        int count = Long.compareUnsigned(length, ELEMENT_LIMIT) > 0 ? ELEMENT_LIMIT : (int) length;
        List<Object> values = new ArrayList<>(count);
        StringJoiner shown = new StringJoiner(", ", "[", "");
        for (int i = 0; i < count; i++) {
            ReturnValue value = read(element, pointer + i * stride);
            values.add(value.value());
            if (i < SHOWN_ELEMENTS) {
                shown.add(value.display());
            }
        }
        boolean more = Long.compareUnsigned(length, SHOWN_ELEMENTS) > 0;
        String display = shown + (more ? ", ...]" : "]");
        if (more) {
            display += " (" + Long.toUnsignedString(length) + " elements"
                    + (count < length ? "; the value holds the first " + count : "") + ")";
        }
        return new ReturnValue(values, display);
    }

    /**
     * The register bits of an {@code ROption<T>} argument whose whole value fits 8 bytes: the tag in
     * the low byte and T at its offset. {@code RNone}/{@code None}, {@code RSome(x)}/{@code Some(x)}, or {@code x}.
     */
    public static long encodeOption(int index, AbiStableType option, String text) {
        String value = text.strip();
        if (value.equals("RNone") || value.equals("None")) {
            return RNONE;
        }
        for (String wrapper : List.of("RSome(", "Some(")) {
            if (value.startsWith(wrapper) && value.endsWith(")")) {
                value = value.substring(wrapper.length(), value.length() - 1);
                break;
            }
        }
        long elementSize = size(option.element());
        ArgumentValue converted = ArgumentConverter.convert(index, option.element(), value);
        if (!(converted instanceof ArgumentValue.Bits bits)) {
            throw new CallError.BadArgument(index, option.text(), text, "only ROption of a scalar can be passed");
        }
        long mask = elementSize >= 8 ? -1L : (1L << (8 * elementSize)) - 1;
        return RSOME | (bits.bits() & mask) << (8 * align(option.element()));
    }

    /** Whether an ROption of this element fits one integer register, as the ABI passes it then. */
    public static boolean fitsRegister(AbiStableType option) {
        return option.element() instanceof ValueType.Scalar && size(option) <= 8;
    }

    private static long load(long address, long size) {
        return switch ((int) size) {
            case 1 -> MEMORY.getByte(address);
            case 2 -> MEMORY.getShort(address);
            case 4 -> MEMORY.getInt(address);
            default -> MEMORY.getLong(address);
        };
    }

    private static long roundUp(long value, long align) {
        return (value + align - 1) / align * align;
    }
}
