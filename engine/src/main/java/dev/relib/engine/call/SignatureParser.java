package dev.relib.engine.call;

import dev.relib.engine.error.SignatureError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses a function signature written in Rust syntax:
 * {@code add(i32, i32) -> i32}, {@code fn name(a: u8, b: &str) -> bool},
 * {@code pub unsafe extern "C" fn f(p: *const c_char)}, {@code (u32) -> &'static str}.
 * Parameter names, lifetimes, {@code pub}, {@code unsafe}, {@code extern "C"} and a trailing
 * {@code ;} are accepted and dropped. Parsing is done once per signature; the result is reused.
 */
public final class SignatureParser {

    private static final Map<String, ValueType.Scalar> SCALARS = Map.ofEntries(
            Map.entry("bool", ValueType.Scalar.BOOL),
            Map.entry("i8", ValueType.Scalar.I8), Map.entry("i16", ValueType.Scalar.I16),
            Map.entry("i32", ValueType.Scalar.I32), Map.entry("i64", ValueType.Scalar.I64),
            Map.entry("isize", ValueType.Scalar.ISIZE),
            Map.entry("u8", ValueType.Scalar.U8), Map.entry("u16", ValueType.Scalar.U16),
            Map.entry("u32", ValueType.Scalar.U32), Map.entry("u64", ValueType.Scalar.U64),
            Map.entry("usize", ValueType.Scalar.USIZE),
            Map.entry("f32", ValueType.Scalar.F32), Map.entry("f64", ValueType.Scalar.F64),
            Map.entry("char", ValueType.Scalar.CHAR),
            // C aliases from std::ffi / std::os::raw / libc, with their x86-64 Linux sizes.
            Map.entry("c_char", ValueType.Scalar.I8), Map.entry("c_schar", ValueType.Scalar.I8),
            Map.entry("c_uchar", ValueType.Scalar.U8),
            Map.entry("c_short", ValueType.Scalar.I16), Map.entry("c_ushort", ValueType.Scalar.U16),
            Map.entry("c_int", ValueType.Scalar.I32), Map.entry("c_uint", ValueType.Scalar.U32),
            Map.entry("c_long", ValueType.Scalar.I64), Map.entry("c_ulong", ValueType.Scalar.U64),
            Map.entry("c_longlong", ValueType.Scalar.I64), Map.entry("c_ulonglong", ValueType.Scalar.U64),
            Map.entry("c_float", ValueType.Scalar.F32), Map.entry("c_double", ValueType.Scalar.F64),
            Map.entry("size_t", ValueType.Scalar.USIZE), Map.entry("ssize_t", ValueType.Scalar.ISIZE));

    /**
     * How deep types may nest ({@code &&u8} is 3): far beyond any real signature, far below what
     * exhausts a thread's stack in the recursive descent below.
     */
    public static final int MAX_NESTING = 64;

    private final String text;
    private final List<Token> tokens;
    private final Map<String, StructLayout> structs;
    private int next;
    private int depth;

    private SignatureParser(String text, Map<String, StructLayout> structs) {
        this.text = text;
        this.tokens = new SignatureLexer(text).tokens();
        this.structs = structs;
    }

    /**
     * @throws SignatureError.Malformed   unparseable text, with the column of the problem
     * @throws SignatureError.UnknownType a type the invoker cannot pass or read (e.g. {@code u128},
     *                                    {@code Vec<i32>}, {@code String} as a parameter)
     */
    public static Signature parse(String text) {
        return parse(text, Map.of());
    }

    /** As {@link #parse(String)}, where the names of {@code structs} are types (by value or behind a pointer). */
    public static Signature parse(String text, Map<String, StructLayout> structs) {
        if (text == null || text.isBlank()) {
            throw new SignatureError.Malformed(String.valueOf(text), 0, "empty signature");
        }
        return new SignatureParser(text, structs).signature();
    }

    /**
     * {@code struct Point { x: f64, y: f64 }} ({@code #[repr(C)]} and {@code pub} allowed): its C layout.
     * Fields are scalars, thin pointers, structs in {@code known}, or arrays {@code [T; N]} of them.
     *
     * @throws SignatureError.Malformed   unparseable text
     * @throws SignatureError.UnknownType a field type that has no C layout ({@code &str}, {@code Vec<T>})
     */
    public static StructLayout parseStruct(String text, Map<String, StructLayout> known) {
        String declaration = text.strip();
        if (declaration.startsWith("#[repr(C)]")) {
            declaration = declaration.substring("#[repr(C)]".length());
        }
        if (declaration.isBlank()) {
            throw new SignatureError.Malformed(text, 0, "empty struct declaration");
        }
        return new SignatureParser(declaration, known).structDeclaration();
    }

    private StructLayout structDeclaration() {
        acceptWord("pub");
        if (!acceptWord("struct")) {
            throw malformed(peek(), "expected 'struct NAME { field: TYPE, ... }'");
        }
        Token name = peek();
        if (name.kind() != Token.Kind.IDENT) {
            throw malformed(name, "expected the struct's name");
        }
        next++;
        expect("{", "expected '{' to open the fields");
        List<StructLayout.Field> fields = new ArrayList<>();
        int offset = 0;
        int align = 1;
        while (!peek().is("}")) {
            acceptWord("pub");
            Token field = peek();
            if (field.kind() != Token.Kind.IDENT || !peekAt(1).is(":")) {
                throw malformed(field, "expected 'name: TYPE'");
            }
            next += 2;
            TypeSyntax syntax = type();
            int count = 1;
            boolean array = false;
            if (syntax instanceof TypeSyntax.Array fixed && fixed.length() != null) {
                array = true;
                count = arrayLength(fixed.length(), field);
                syntax = fixed.element();
            }
            ValueType type = resolve(syntax, false);
            if (type instanceof ValueType.FatPointer) {
                throw new SignatureError.UnknownType(type.text() + " as a struct field (a pointer and a length: "
                        + "declare them as two fields, ptr: *const u8, len: usize)");
            }
            int fieldAlign = alignOf(type);
            offset = (offset + fieldAlign - 1) / fieldAlign * fieldAlign;
            fields.add(new StructLayout.Field(field.text(), type, count, array, offset));
            offset += sizeOf(type) * count;
            align = Math.max(align, fieldAlign);
            if (!accept(",") && !peek().is("}")) {
                throw malformed(peek(), "expected ',' or '}' after a field");
            }
        }
        next++;
        if (peek().kind() != Token.Kind.END) {
            throw malformed(peek(), "unexpected '" + peek().text() + "' after the struct");
        }
        if (fields.isEmpty()) {
            throw malformed(name, "a struct without fields has no C layout to pass");
        }
        int size = (offset + align - 1) / align * align;
        return new StructLayout(name.text(), fields, size, align);
    }

    private int arrayLength(String length, Token at) {
        try {
            int count = Integer.parseInt(length.replace("_", ""));
            if (count >= 1 && count <= 1 << 16) {
                return count;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw malformed(at, "an array field needs a length from 1 to 65536, not '" + length + "'");
    }

    /** Bytes of one value of a field or parameter type (x86-64). */
    static int sizeOf(ValueType type) {
        if (type instanceof ValueType.Scalar scalar) {
            return scalar == ValueType.Scalar.BOOL ? 1 : scalar.bits() / 8;
        }
        if (type instanceof ValueType.Struct struct) {
            return struct.layout().size();
        }
        return 8;
    }

    static int alignOf(ValueType type) {
        return type instanceof ValueType.Struct struct ? struct.layout().align() : sizeOf(type);
    }

    private Signature signature() {
        acceptWord("pub");
        acceptWord("unsafe");
        if (acceptWord("extern")) {
            Token abi = peek();
            if (abi.kind() == Token.Kind.STRING) {
                if (!abi.text().equals("C") && !abi.text().equals("C-unwind")) {
                    throw malformed(abi, "only extern \"C\" functions can be called, not extern \"" + abi.text() + "\"");
                }
                next++;
            }
        }
        acceptWord("fn");
        String name = null;
        if (peek().kind() == Token.Kind.IDENT) {
            StringBuilder path = new StringBuilder(peek().text());
            next++;
            // relib names its exports by trait: Exports::name.
            while (peek().is("::") && peekAt(1).kind() == Token.Kind.IDENT) {
                path.append("::").append(peekAt(1).text());
                next += 2;
            }
            name = path.toString();
        }
        expect("(", "expected '(' to open the parameter list");
        List<ValueType> parameters = new ArrayList<>();
        while (!peek().is(")")) {
            parameters.add(resolve(parameter(), false));
            if (!accept(",") && !peek().is(")")) {
                throw malformed(peek(), "expected ',' or ')' after a parameter");
            }
        }
        next++;
        ValueType returnType = ValueType.Scalar.UNIT;
        if (accept("->")) {
            returnType = resolve(type(), true);
        }
        accept(";");
        if (peek().kind() != Token.Kind.END) {
            throw malformed(peek(), "unexpected '" + peek().text() + "' after the signature");
        }
        return new Signature(name, parameters, returnType);
    }

    /** {@code T}, {@code a: T}, {@code mut a: T}, {@code _: T}. */
    private TypeSyntax parameter() {
        boolean mutBinding = peek().isWord("mut") && peekAt(1).kind() == Token.Kind.IDENT && peekAt(2).is(":");
        if (mutBinding) {
            next++;
        }
        if (peek().kind() == Token.Kind.IDENT && peekAt(1).is(":")) {
            next += 2;
        }
        return type();
    }

    private TypeSyntax type() {
        Token start = peek();
        if (++depth > MAX_NESTING) {
            throw new SignatureError.TooDeep(start.column(), MAX_NESTING);
        }
        try {
            return nestedType(start);
        } finally {
            depth--;
        }
    }

    private TypeSyntax nestedType(Token start) {
        if (accept("(")) {
            expect(")", "expected ')': tuples cannot be passed");
            return new TypeSyntax.Unit();
        }
        if (accept("*")) {
            boolean mutable = peek().isWord("mut");
            if (!mutable && !peek().isWord("const")) {
                throw malformed(peek(), "expected 'const' or 'mut' after '*'");
            }
            next++;
            return new TypeSyntax.RawPointer(mutable, type());
        }
        if (accept("&")) {
            if (peek().kind() == Token.Kind.LIFETIME) {
                next++;
            }
            boolean mutable = acceptWord("mut");
            return new TypeSyntax.Reference(mutable, type());
        }
        if (accept("[")) {
            TypeSyntax element = type();
            String length = null;
            if (accept(";")) {
                Token count = peek();
                if (count.kind() != Token.Kind.NUMBER && count.kind() != Token.Kind.IDENT) {
                    throw malformed(count, "expected an array length");
                }
                length = count.text();
                next++;
            }
            expect("]", "expected ']'");
            return new TypeSyntax.Array(element, length);
        }
        if (start.kind() == Token.Kind.IDENT || start.is("::")) {
            return path();
        }
        throw malformed(start, start.kind() == Token.Kind.END ? "expected a type, found the end" : "expected a type, found '" + start.text() + "'");
    }

    private TypeSyntax path() {
        List<String> segments = new ArrayList<>();
        accept("::");
        do {
            Token segment = peek();
            if (segment.kind() != Token.Kind.IDENT) {
                throw malformed(segment, "expected a type name");
            }
            segments.add(segment.text());
            next++;
        } while (accept("::"));
        List<TypeSyntax> generics = new ArrayList<>();
        if (accept("<")) {
            do {
                if (peek().kind() == Token.Kind.LIFETIME) {
                    next++;
                } else {
                    generics.add(type());
                }
            } while (accept(","));
            expect(">", "expected '>' to close the generic arguments");
        }
        return new TypeSyntax.Path(segments, generics);
    }

    private ValueType resolve(TypeSyntax syntax, boolean isReturn) {
        ValueType resolved = null;
        if (syntax instanceof TypeSyntax.Unit) {
            resolved = isReturn ? ValueType.Scalar.UNIT : null;
        } else if (syntax instanceof TypeSyntax.Path path && AbiStableType.Kind.named(path.last()) != null) {
            resolved = resolveAbiStable(path);
        } else if (syntax instanceof TypeSyntax.Path path) {
            resolved = resolvePath(path, isReturn);
        } else if (syntax instanceof TypeSyntax.RawPointer pointer) {
            resolved = resolveRawPointer(pointer);
        } else if (syntax instanceof TypeSyntax.Reference reference) {
            resolved = resolveReference(reference);
        }
        // An array by value cannot cross extern "C"; only behind a pointer.
        if (resolved == null) {
            throw new SignatureError.UnknownType(syntax.render());
        }
        return resolved;
    }

    /** {@code RStr}, {@code RString}, {@code RVec<T>}, {@code RSlice<T>}, {@code ROption<T>} (relib modules). */
    private ValueType resolveAbiStable(TypeSyntax.Path path) {
        AbiStableType.Kind kind = AbiStableType.Kind.named(path.last());
        if (path.generics().size() != (kind.generic() ? 1 : 0)) {
            return null;
        }
        if (!kind.generic()) {
            return new AbiStableType(kind, null);
        }
        ValueType element = resolve(path.generics().get(0), true);
        return AbiStableType.isElement(element) ? new AbiStableType(kind, element) : null;
    }

    private ValueType resolveRawPointer(TypeSyntax.RawPointer pointer) {
        StructLayout struct = declaredStruct(pointer.target());
        if (struct != null) {
            return new ValueType.StructPointer(pointer.mutable() ? ValueType.PointerKind.MUT : ValueType.PointerKind.CONST, struct);
        }
        if (isCChar(pointer.target())) {
            return new ValueType.CString(pointer.mutable());
        }
        if (isUnsized(pointer.target())) {
            return null;
        }
        return new ValueType.Pointer(pointer.mutable() ? ValueType.PointerKind.MUT : ValueType.PointerKind.CONST,
                pointer.target().render());
    }

    private ValueType resolvePath(TypeSyntax.Path path, boolean isReturn) {
        String last = path.last();
        StructLayout struct = declaredStruct(path);
        if (struct != null) {
            return new ValueType.Struct(struct);
        }
        if (path.generics().isEmpty()) {
            if (SCALARS.containsKey(last)) {
                return SCALARS.get(last);
            }
            return last.equals("String") && isReturn ? ValueType.Owned.STRING : null;
        }
        if (path.generics().size() != 1) {
            return null;
        }
        TypeSyntax argument = path.generics().get(0);
        if (last.equals("Vec") && isReturn && argument instanceof TypeSyntax.Path element
                && element.generics().isEmpty() && element.last().equals("u8")) {
            return ValueType.Owned.BYTES;
        }
        if (last.equals("Option") && argument instanceof TypeSyntax.Reference reference && !isUnsized(reference.target())) {
            return new ValueType.OptionRef(reference.mutable(), reference.target().render());
        }
        return null;
    }

    private ValueType resolveReference(TypeSyntax.Reference reference) {
        TypeSyntax target = reference.target();
        StructLayout struct = declaredStruct(target);
        if (struct != null) {
            return new ValueType.StructPointer(reference.mutable() ? ValueType.PointerKind.REF_MUT : ValueType.PointerKind.REF, struct);
        }
        if (target instanceof TypeSyntax.Path path && path.generics().isEmpty() && path.last().equals("str")) {
            return reference.mutable() ? null : ValueType.FatPointer.STR;
        }
        if (target instanceof TypeSyntax.Array array && array.length() == null) {
            boolean bytes = array.element() instanceof TypeSyntax.Path element && element.generics().isEmpty()
                    && element.last().equals("u8");
            if (!bytes) {
                return null;
            }
            return reference.mutable() ? ValueType.FatPointer.BYTES_MUT : ValueType.FatPointer.BYTES;
        }
        ValueType.PointerKind kind = reference.mutable() ? ValueType.PointerKind.REF_MUT : ValueType.PointerKind.REF;
        return new ValueType.Pointer(kind, target.render());
    }

    private StructLayout declaredStruct(TypeSyntax target) {
        return target instanceof TypeSyntax.Path path && path.generics().isEmpty() && path.segments().size() == 1
                ? structs.get(path.last()) : null;
    }

    private static boolean isCChar(TypeSyntax target) {
        return target instanceof TypeSyntax.Path path && path.generics().isEmpty()
                && (path.last().equals("c_char") || path.segments().equals(List.of("i8")));
    }

    /** {@code str} and {@code [T]}: a pointer to them is a (pointer, length) pair, not an address. */
    private static boolean isUnsized(TypeSyntax target) {
        return target instanceof TypeSyntax.Array array && array.length() == null
                || target instanceof TypeSyntax.Path path && path.generics().isEmpty() && path.last().equals("str");
    }

    private Token peek() {
        return peekAt(0);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(next + ahead, tokens.size() - 1));
    }

    private boolean accept(String punctuation) {
        if (peek().is(punctuation)) {
            next++;
            return true;
        }
        return false;
    }

    private boolean acceptWord(String word) {
        if (peek().isWord(word)) {
            next++;
            return true;
        }
        return false;
    }

    private void expect(String punctuation, String problem) {
        if (!accept(punctuation)) {
            throw malformed(peek(), problem);
        }
    }

    private SignatureError.Malformed malformed(Token at, String problem) {
        return new SignatureError.Malformed(text, at.column(), problem);
    }
}
