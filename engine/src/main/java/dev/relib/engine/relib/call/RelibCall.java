package dev.relib.engine.relib.call;

import com.kenai.jffi.MemoryIO;
import dev.relib.engine.call.AbiStableCodec;
import dev.relib.engine.call.AbiStableType;
import dev.relib.engine.call.CompiledCall;
import dev.relib.engine.call.PreparedArguments;
import dev.relib.engine.call.ReturnValue;
import dev.relib.engine.call.Signature;
import dev.relib.engine.call.ValueType;
import dev.relib.engine.error.CallError;
import dev.relib.engine.error.EngineFailure;
import dev.relib.engine.error.SignatureError;
import java.util.ArrayList;
import java.util.List;

/**
 * A relib export bound to its address, following relib's export convention (RELIB-PROTOCOL.md 2.1):
 * the native function is {@code Ret f(bool *success, args...)}; a 0 flag means it panicked and the
 * return value is garbage; a boxed return ({@code __post__} exists) is a pointer to the value in the
 * module's allocator, read here and then handed to the post function, which frees it. Compiled once
 * per export and signature; call on the module owner thread.
 */
public final class RelibCall {

    /** Written before each call: relib writes exactly 0 or 1, so anything else means it wrote nothing. */
    private static final byte UNSET = 2;
    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private final Signature declared;
    private final CompiledCall call;
    private final CompiledCall post;

    private RelibCall(Signature declared, CompiledCall call, CompiledCall post) {
        this.declared = declared;
        this.call = call;
        this.post = post;
    }

    /**
     * @param declared     the export's types as relib users write them, named by its relib name
     * @param function     the export's address
     * @param postFunction its {@code __post__} function's address, or 0 when it returns by value
     * @throws CallError.RelibReturnType  when the return type disagrees with the module's boxing
     * @throws SignatureError.RelibUnsupported for a type relib cannot pass this way
     */
    public static RelibCall compile(Signature declared, long function, long postFunction) {
        ValueType returned = declared.returnType();
        boolean boxed = postFunction != 0;
        if (boxed != isBoxed(returned)) {
            throw new CallError.RelibReturnType(declared.name(), boxed
                    ? "it returns a boxed value (the module exports " + RelibExportNames.POST + "..." + " for it), so "
                    + returned.text() + " cannot be its type; name it, e.g. -> RString, -> RStr, -> RVec<u8>, -> ROption<u32>"
                    : "it returns its value directly (no " + RelibExportNames.POST + " function), so it cannot return "
                    + returned.text() + "; relib boxes every type but primitives and pointers");
        }
        if (boxed && !(returned instanceof AbiStableType)) {
            throw new SignatureError.RelibUnsupported(returned.text(),
                    "cannot be read from a relib module's box: its layout is Rust's own; use RString, RStr, RVec<T>, ROption<T>");
        }
        List<ValueType> parameters = new ArrayList<>();
        parameters.add(new ValueType.Pointer(ValueType.PointerKind.MUT, "bool"));
        for (ValueType parameter : declared.parameters()) {
            parameters.add(lowered(parameter));
        }
        ValueType nativeReturn = boxed ? new ValueType.Pointer(ValueType.PointerKind.MUT, returned.text()) : returned;
        CompiledCall call = CompiledCall.compile(new Signature(declared.name(), parameters, nativeReturn), function);
        CompiledCall post = boxed ? CompiledCall.compile(new Signature(RelibExportNames.POST,
                List.of(new ValueType.Pointer(ValueType.PointerKind.MUT, returned.text())), ValueType.Scalar.UNIT),
                postFunction) : null;
        return new RelibCall(declared, call, post);
    }

    /** relib's boxing rule: everything but primitives and pointers (section 2). */
    static boolean isBoxed(ValueType type) {
        return !(type instanceof ValueType.Scalar || type instanceof ValueType.Pointer
                || type instanceof ValueType.CString || type instanceof ValueType.FatPointer);
    }

    /** The native argument a relib parameter becomes: an RStr is (ptr, len) in two registers, like &str. */
    private static ValueType lowered(ValueType parameter) {
        if (!(parameter instanceof AbiStableType abi)) {
            return parameter;
        }
        return switch (abi.kind()) {
            case RSTR -> ValueType.FatPointer.STR;
            case RSLICE -> {
                if (abi.element() != ValueType.Scalar.U8) {
                    throw new SignatureError.RelibUnsupported(abi.text(), "cannot be passed yet; RSlice<u8> can ([1, 2], b\"..\")");
                }
                yield ValueType.FatPointer.BYTES;
            }
            case ROPTION -> {
                if (!AbiStableCodec.fitsRegister(abi)) {
                    throw new SignatureError.RelibUnsupported(abi.text(),
                            "cannot be passed yet; an ROption of a scalar of at most 4 bytes can");
                }
                yield ValueType.Scalar.U64;
            }
            case RSTRING, RVEC -> throw new SignatureError.RelibUnsupported(abi.text(),
                    "cannot be a relib parameter: relib passes parameters as Copy values; take an RStr or RSlice<T>");
        };
    }

    public Signature declared() {
        return declared;
    }

    /**
     * Calls {@code repeat} times with the same arguments, stopping at the first panic. A boxed value
     * of every call goes back to the module's post function; the last one is read first. The loop
     * allocates nothing per call: arguments are converted once and each return is looked at raw.
     */
    public RelibOutcome invoke(List<String> argumentTexts, int repeat) {
        if (argumentTexts.size() != declared.parameters().size()) {
            throw new CallError.ArgumentCount(declared.canonical(), declared.parameters().size(), argumentTexts.size());
        }
        long flag = MEMORY.allocateMemory(8, true);
        if (flag == 0) {
            throw new EngineFailure("call.out_of_memory", "could not allocate relib's success flag");
        }
        try (PreparedArguments arguments = call.prepare(nativeTexts(flag, argumentTexts));
             PreparedArguments box = post == null ? null : post.prepare(List.of("0x0"))) {
            ReturnValue value = null;
            long raw = 0;
            long start = System.nanoTime();
            for (int i = 1; i <= repeat; i++) {
                MEMORY.putByte(flag, UNSET);
                raw = call.invokeRaw(arguments);
                byte success = MEMORY.getByte(flag);
                if (success == 0) {
                    return new RelibOutcome(null, true, i, System.nanoTime() - start);
                }
                if (success != 1) {
                    throw new CallError.NoSuccessFlag(declared.name(), success & 0xFF);
                }
                if (box != null) {
                    value = readAndFree(raw, box, i == repeat);
                }
            }
            long nanos = System.nanoTime() - start;
            return new RelibOutcome(box == null ? call.decodeRaw(raw, arguments) : value, false, repeat, nanos);
        } finally {
            MEMORY.freeMemory(flag);
        }
    }

    private List<String> nativeTexts(long flag, List<String> texts) {
        List<String> out = new ArrayList<>(texts.size() + 1);
        out.add("0x" + Long.toHexString(flag));
        for (int i = 0; i < texts.size(); i++) {
            ValueType type = declared.parameters().get(i);
            if (type instanceof AbiStableType abi && abi.kind() == AbiStableType.Kind.ROPTION) {
                out.add(Long.toUnsignedString(AbiStableCodec.encodeOption(i, abi, texts.get(i))));
            } else {
                out.add(texts.get(i));
            }
        }
        return out;
    }

    /** Copies the boxed value out (the last call's only), then lets the module free its box. */
    private ReturnValue readAndFree(long pointer, PreparedArguments box, boolean read) {
        if (pointer == 0) {
            throw new CallError.RelibReturnType(declared.name(), "it reported success but returned a null box");
        }
        ReturnValue value = read ? AbiStableCodec.read(declared.returnType(), pointer) : null;
        box.setRaw(0, pointer);
        post.invokeRaw(box);
        return value;
    }
}
