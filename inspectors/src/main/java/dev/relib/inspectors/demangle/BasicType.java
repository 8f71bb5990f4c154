package dev.relib.inspectors.demangle;

/** The one-letter basic types of the v0 grammar. */
final class BasicType {

    private BasicType() {
    }

    /** The Rust spelling of a basic type tag, or null when the tag is not one. */
    static String name(char tag) {
        return switch (tag) {
            case 'a' -> "i8";
            case 'b' -> "bool";
            case 'c' -> "char";
            case 'd' -> "f64";
            case 'e' -> "str";
            case 'f' -> "f32";
            case 'h' -> "u8";
            case 'i' -> "isize";
            case 'j' -> "usize";
            case 'l' -> "i32";
            case 'm' -> "u32";
            case 'n' -> "i128";
            case 'o' -> "u128";
            case 'p' -> "_";
            case 's' -> "i16";
            case 't' -> "u16";
            case 'u' -> "()";
            case 'v' -> "...";
            case 'x' -> "i64";
            case 'y' -> "u64";
            case 'z' -> "!";
            default -> null;
        };
    }
}
