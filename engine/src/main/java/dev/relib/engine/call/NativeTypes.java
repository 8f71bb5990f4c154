package dev.relib.engine.call;

import com.kenai.jffi.Struct;
import com.kenai.jffi.Type;
import java.util.ArrayList;
import java.util.List;

/** The libffi types a signature becomes on x86-64 SysV. */
public final class NativeTypes {

    /** {@code &str} / {@code &[u8]} returned by value: (pointer, length) in RAX:RDX. */
    private static final Struct PAIR = Struct.newStruct(Type.POINTER, Type.UINT64);
    /** An SDK module's owned String / Vec<u8>: (ptr, len, cap), returned through a hidden pointer. */
    private static final Struct TRIPLE = Struct.newStruct(Type.POINTER, Type.UINT64, Type.UINT64);

    private NativeTypes() {
    }

    public static Type[] parameters(Signature signature) {
        List<Type> types = new ArrayList<>();
        for (ValueType parameter : signature.parameters()) {
            if (parameter instanceof ValueType.FatPointer) {
                types.add(Type.POINTER);
                types.add(Type.UINT64);
            } else if (parameter instanceof ValueType.Struct struct) {
                types.add(struct(struct.layout()));
            } else {
                types.add(single(parameter));
            }
        }
        return types.toArray(new Type[0]);
    }

    public static Type returnType(ValueType type) {
        if (type instanceof ValueType.FatPointer) {
            return PAIR;
        }
        if (type instanceof ValueType.Owned) {
            return TRIPLE;
        }
        if (type instanceof ValueType.Struct struct) {
            return struct(struct.layout());
        }
        return single(type);
    }

    /**
     * libffi's description of a declared struct: arrays as their elements one after another, which
     * gives the same offsets and the same SysV eightbyte classes as C's array member.
     */
    static Struct struct(StructLayout layout) {
        List<Type> fields = new ArrayList<>();
        for (StructLayout.Field field : layout.fields()) {
            Type element = field.type() instanceof ValueType.Struct nested ? struct(nested.layout()) : single(field.type());
            for (int i = 0; i < field.count(); i++) {
                fields.add(element);
            }
        }
        return Struct.newStruct(fields.toArray(new Type[0]));
    }

    /** Whether a parameter is passed by value as a struct, its bytes given to libffi by address. */
    static boolean isStruct(ValueType type) {
        return type instanceof ValueType.Struct;
    }

    /** Returned through memory (a struct) rather than in one register. */
    static boolean isAggregate(ValueType type) {
        return type instanceof ValueType.FatPointer || type instanceof ValueType.Owned || type instanceof ValueType.Struct;
    }

    /** Fits jffi's int fast path: an integer of at most 32 bits (bool and char included), or unit. */
    static boolean isSmallInteger(ValueType type) {
        return type instanceof ValueType.Scalar scalar && !scalar.isFloat() && scalar.bits() <= 32;
    }

    private static Type single(ValueType type) {
        if (!(type instanceof ValueType.Scalar scalar)) {
            return Type.POINTER;
        }
        return switch (scalar) {
            case UNIT -> Type.VOID;
            case BOOL, U8 -> Type.UINT8;
            case I8 -> Type.SINT8;
            case I16 -> Type.SINT16;
            case U16 -> Type.UINT16;
            case I32 -> Type.SINT32;
            case U32, CHAR -> Type.UINT32;
            case I64, ISIZE -> Type.SINT64;
            case U64, USIZE -> Type.UINT64;
            case F32 -> Type.FLOAT;
            case F64 -> Type.DOUBLE;
        };
    }
}
