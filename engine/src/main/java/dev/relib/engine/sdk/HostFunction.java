package dev.relib.engine.sdk;

import com.kenai.jffi.Closure;
import com.kenai.jffi.MemoryIO;
import dev.relib.engine.call.Signature;
import dev.relib.engine.call.ValueType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** A Java function an SDK module's import is bound to. It may throw: {@link ImportClosure} catches it. */
sealed interface HostFunction permits HostFunction.Log, HostFunction.Clock, HostFunction.Stub {

    /** For {@code info}: {@code built-in}, {@code stub = 42}. */
    String boundTo();

    /** Reads the arguments from {@code buffer} and sets the return value. */
    void answer(Closure.Buffer buffer) throws Exception;

    /** Built-in {@code log(u32, &str)}. */
    record Log(String module, HostLog log) implements HostFunction {
        public String boundTo() {
            return "built-in";
        }

        public void answer(Closure.Buffer buffer) throws CharacterCodingException {
            int level = buffer.getInt(0);
            log.write(module, level, utf8(buffer.getAddress(1), buffer.getLong(2)));
        }

        /** Strict: a module cannot make a &str that is not UTF-8 without unsafe code, so say so. */
        static String utf8(long address, long length) throws CharacterCodingException {
            if (length < 0 || length > Integer.MAX_VALUE || (address == 0 && length != 0)) {
                throw new IllegalArgumentException("invalid message (address 0x" + Long.toHexString(address)
                        + ", length " + Long.toUnsignedString(length) + ")");
            }
            byte[] bytes = new byte[(int) length];
            MemoryIO.getInstance().getByteArray(address, bytes, 0, bytes.length);
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        }
    }

    /** Built-in {@code now_ns() -> u64}: a monotonic clock. */
    record Clock() implements HostFunction {
        public String boundTo() {
            return "built-in";
        }

        public void answer(Closure.Buffer buffer) {
            buffer.setLongReturn(System.nanoTime());
        }
    }

    /** A stub defined in the shell: returns its value whatever the arguments, or fails. */
    record Stub(ImportStubs.DefinedStub stub) implements HostFunction {
        public String boundTo() {
            return "stub = " + (stub.stub().fails() ? "fail" : stub.stub().value());
        }

        public void answer(Closure.Buffer buffer) {
            if (stub.stub().fails()) {
                throw new StubFailure(stub.stub().value());
            }
            setReturn(buffer, stub.signature(), stub.bits());
        }
    }

    /** Sets a return value of the signature's return type from raw bits (see ArgumentValue.Bits). */
    static void setReturn(Closure.Buffer buffer, Signature signature, long bits) {
        ValueType type = signature.returnType();
        if (type == ValueType.Scalar.UNIT) {
            return;
        }
        if (type == ValueType.Scalar.F32) {
            buffer.setFloatReturn(Float.intBitsToFloat((int) bits));
        } else if (type == ValueType.Scalar.F64) {
            buffer.setDoubleReturn(Double.longBitsToDouble(bits));
        } else {
            // libffi widens every integer return to a full register, so one 64-bit write fits all.
            buffer.setLongReturn(bits);
        }
    }

    /** What a failing stub throws; its message is the stub's text. */
    final class StubFailure extends RuntimeException {
        StubFailure(String message) {
            super(message, null, false, false);
        }
    }
}
