package dev.relib.engine.call;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.MemoryIO;
import dev.relib.engine.error.CallError;
import java.util.List;

/**
 * A signature bound to a function address, with its jffi call context built once. Immutable and
 * reusable; {@link #prepare} converts argument texts once, {@link #invoke} calls any number of
 * times without parsing, converting or allocating per call. Call it on the thread that owns the
 * module (the engine's owner thread).
 */
public final class CompiledCall {

    /** jffi's typed fast paths where the signature allows, else libffi with arguments by address. */
    private enum Route { INTS, LONGS, BY_ADDRESS }

    /** jffi's typed invokers take at most this many arguments. */
    private static final int FAST_PATH_MAX_ARGUMENTS = 6;
    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private final Signature signature;
    private final String signatureText;
    private final long function;
    private final CallContext context;
    private final Route route;
    private final int nativeCount;

    private CompiledCall(Signature signature, String signatureText, long function, CallContext context, Route route,
                         int nativeCount) {
        this.signature = signature;
        this.signatureText = signatureText;
        this.function = function;
        this.context = context;
        this.route = route;
        this.nativeCount = nativeCount;
    }

    /**
     * @param functionAddress the export's address ({@code dlsym}); must stay mapped while this is used
     */
    public static CompiledCall compile(Signature signature, long functionAddress) {
        requireAddress(functionAddress);
        CallContext context = CallContext.getCallContext(NativeTypes.returnType(signature.returnType()),
                NativeTypes.parameters(signature), CallingConvention.DEFAULT, false);
        int nativeCount = signature.nativeArgumentCount();
        return new CompiledCall(signature, signature.canonical(), functionAddress, context, route(signature, nativeCount),
                nativeCount);
    }

    /** The same signature, compiled as it is, bound to another address (a new generation's export). */
    public CompiledCall at(long functionAddress) {
        requireAddress(functionAddress);
        return functionAddress == function ? this
                : new CompiledCall(signature, signatureText, functionAddress, context, route, nativeCount);
    }

    private static void requireAddress(long functionAddress) {
        if (functionAddress == 0) {
            throw new IllegalArgumentException("function address is null");
        }
    }

    private static Route route(Signature signature, int nativeCount) {
        if (NativeTypes.isAggregate(signature.returnType()) || nativeCount > FAST_PATH_MAX_ARGUMENTS
                || signature.parameters().stream().anyMatch(NativeTypes::isStruct)) {
            return Route.BY_ADDRESS;
        }
        boolean smallIntegers = NativeTypes.isSmallInteger(signature.returnType())
                && signature.parameters().stream().allMatch(NativeTypes::isSmallInteger);
        return smallIntegers ? Route.INTS : Route.LONGS;
    }

    public Signature signature() {
        return signature;
    }

    /** {@link Signature#canonical()}, built once: every call's result names it. */
    public String signatureText() {
        return signatureText;
    }

    public long functionAddress() {
        return function;
    }

    /**
     * Converts the argument texts (see {@link ArgumentConverter} for their syntax) and copies strings
     * and byte slices into native memory that the returned object owns.
     *
     * @throws CallError.ArgumentCount when the number of texts differs from the parameter count
     * @throws CallError.BadArgument   naming the first argument that does not convert
     */
    public PreparedArguments prepare(List<String> argumentTexts) {
        List<ValueType> parameters = signature.parameters();
        if (argumentTexts.size() != parameters.size()) {
            throw new CallError.ArgumentCount(signature.canonical(), parameters.size(), argumentTexts.size());
        }
        ArgumentValue[] values = new ArgumentValue[parameters.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = ArgumentConverter.convert(i, parameters.get(i), argumentTexts.get(i));
        }
        return PreparedArguments.allocate(this, argumentTexts, parameters, values, nativeCount, route == Route.BY_ADDRESS);
    }

    /**
     * Calls the function {@code repeat} times with the same arguments and decodes the last return
     * value once, after the loop. The time covers the loop only.
     */
    public CallOutcome invoke(PreparedArguments arguments, int repeat) {
        return invoke(arguments, repeat, null);
    }

    /**
     * As {@link #invoke(PreparedArguments, int)}, and gives every owned return value ({@code String},
     * {@code Vec<u8>}) back through {@code release} once it is decoded or overwritten: each call of a
     * repeat loop returns a new one. The time then covers the frees as well.
     *
     * @param release null to leave owned values to the caller (they leak)
     */
    public CallOutcome invoke(PreparedArguments arguments, int repeat, OwnedRelease release) {
        if (release != null && signature.returnType() instanceof ValueType.Owned) {
            return invokeOwned(arguments, repeat, release);
        }
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, was " + repeat);
        }
        arguments.checkUsableBy(this);
        long raw = 0;
        long start = System.nanoTime();
        switch (route) {
            case INTS -> raw = RepeatLoop.ints(context, function, arguments.slots(), repeat);
            case LONGS -> raw = RepeatLoop.longs(context, function, arguments.slots(), repeat);
            case BY_ADDRESS -> RepeatLoop.byAddress(context, function, arguments.returnBlock(),
                    arguments.slotAddresses(), repeat);
        }
        long totalNanos = System.nanoTime() - start;
        return new CallOutcome(decode(raw, arguments), totalNanos);
    }

    /**
     * One call, nothing decoded: the raw register return, or 0 when the value went to the return
     * block ({@link #decodeRaw} reads either). Allocates nothing, for loops that look at each call
     * (relib's success flag) and so cannot hand the whole loop to {@link #invoke}.
     */
    public long invokeRaw(PreparedArguments arguments) {
        arguments.checkUsableBy(this);
        return switch (route) {
            case INTS -> RepeatLoop.ints(context, function, arguments.slots(), 1);
            case LONGS -> RepeatLoop.longs(context, function, arguments.slots(), 1);
            case BY_ADDRESS -> {
                RepeatLoop.byAddress(context, function, arguments.returnBlock(), arguments.slotAddresses(), 1);
                yield 0;
            }
        };
    }

    /** The value the last {@link #invokeRaw} with {@code arguments} returned as {@code raw}. */
    public ReturnValue decodeRaw(long raw, PreparedArguments arguments) {
        arguments.checkUsableBy(this);
        return decode(raw, arguments);
    }

    private CallOutcome invokeOwned(PreparedArguments arguments, int repeat, OwnedRelease release) {
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, was " + repeat);
        }
        arguments.checkUsableBy(this);
        long block = arguments.returnBlock();
        long start = System.nanoTime();
        for (int i = 0; i < repeat - 1; i++) {
            RepeatLoop.byAddress(context, function, block, arguments.slotAddresses(), 1);
            releaseReturned(block, release);
        }
        RepeatLoop.byAddress(context, function, block, arguments.slotAddresses(), 1);
        long totalNanos = System.nanoTime() - start;
        try {
            return new CallOutcome(decode(0, arguments), totalNanos);
        } finally {
            releaseReturned(block, release);
        }
    }

    private static void releaseReturned(long block, OwnedRelease release) {
        long pointer = MEMORY.getAddress(block);
        if (pointer != 0) {
            release.release(pointer, MEMORY.getLong(block + 8), MEMORY.getLong(block + 16));
        }
        MEMORY.putAddress(block, 0);
    }

    private ReturnValue decode(long raw, PreparedArguments arguments) {
        ValueType type = signature.returnType();
        if (route != Route.BY_ADDRESS) {
            return ReturnDecoder.register(type, raw);
        }
        long block = arguments.returnBlock();
        if (type instanceof ValueType.Struct struct) {
            byte[] bytes = new byte[struct.layout().size()];
            MEMORY.getByteArray(block, bytes, 0, bytes.length);
            return StructValues.decode(struct.layout(), bytes);
        }
        if (NativeTypes.isAggregate(type)) {
            return ReturnDecoder.pair(type, MEMORY.getAddress(block), MEMORY.getLong(block + 8));
        }
        return ReturnDecoder.register(type, MEMORY.getLong(block));
    }

    @Override
    public String toString() {
        return signature.canonical() + " at 0x" + Long.toHexString(function);
    }
}
