//! Signature text for the `.relib_exports` / `.relib_imports` sections, built at compile time.
//!
//! The macros hand over `stringify!` text of each type; `type_text` turns it into the host's
//! canonical spelling (no spaces except after `const`/`mut`, no lifetimes, no paths:
//! `* const std::ffi::c_char` -> `*const c_char`, `&'static str` -> `&str`). An entry is
//! `name(T1, T2) -> R` followed by one NUL byte; `-> ()` is left out.

/// Appends one byte if it fits; always advances, so a pass over an empty buffer measures.
const fn put(buf: &mut [u8], pos: usize, byte: u8) -> usize {
    if pos < buf.len() {
        buf[pos] = byte;
    }
    pos + 1
}

const fn put_str(buf: &mut [u8], mut pos: usize, text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        pos = put(buf, pos, bytes[i]);
        i += 1;
    }
    pos
}

const fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Writes the canonical form of `raw` at `start`; returns the end position.
const fn put_type(buf: &mut [u8], start: usize, raw: &str) -> usize {
    let s = raw.as_bytes();
    let mut pos = start;
    // Where the identifier being written began: a `::` after it drops it (paths keep their last segment).
    let mut segment_start = start;
    let mut pending_space = false;
    let mut last_ident = false;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == b' ' || c == b'\t' || c == b'\n' {
            pending_space = true;
            i += 1;
        } else if c == b'\'' {
            i += 1;
            while i < s.len() && is_ident_byte(s[i]) {
                i += 1;
            }
            while i < s.len() && s[i] == b' ' {
                i += 1;
            }
            pending_space = false;
        } else if c == b':' && i + 1 < s.len() && s[i + 1] == b':' {
            pos = segment_start;
            last_ident = false;
            pending_space = false;
            i += 2;
        } else {
            if is_ident_byte(c) {
                if last_ident && pending_space {
                    pos = put(buf, pos, b' ');
                }
                if !last_ident || pending_space {
                    segment_start = pos;
                }
            }
            pos = put(buf, pos, c);
            last_ident = is_ident_byte(c);
            pending_space = false;
            i += 1;
        }
    }
    pos
}

const fn put_entry(buf: &mut [u8], name: &str, params: &[&str], ret: &str) -> usize {
    let mut pos = put_str(buf, 0, name);
    pos = put(buf, pos, b'(');
    let mut i = 0;
    while i < params.len() {
        if i > 0 {
            pos = put_str(buf, pos, ", ");
        }
        pos = put_type(buf, pos, params[i]);
        i += 1;
    }
    pos = put(buf, pos, b')');
    let mut ret_buf = [0u8; 256];
    let ret_len = put_type(&mut ret_buf, 0, ret);
    assert!(ret_len <= ret_buf.len(), "relib_sdk: return type text longer than 256 bytes");
    if !(ret_len == 2 && ret_buf[0] == b'(' && ret_buf[1] == b')') && ret_len > 0 {
        pos = put_str(buf, pos, " -> ");
        pos = put_type(buf, pos, ret);
    }
    put(buf, pos, 0)
}

/// Bytes of the section entry (text plus its NUL) for `name(params) -> ret`.
pub const fn entry_len(name: &str, params: &[&str], ret: &str) -> usize {
    put_entry(&mut [], name, params, ret)
}

/// The section entry itself; `N` must be `entry_len(name, params, ret)`.
pub const fn entry<const N: usize>(name: &str, params: &[&str], ret: &str) -> [u8; N] {
    let mut buf = [0u8; N];
    let written = put_entry(&mut buf, name, params, ret);
    assert!(written == N, "relib_sdk: entry length mismatch");
    buf
}

/// The text of an entry, without its NUL: the signature the SDK passes to `resolve_import`.
pub const fn entry_text(entry: &'static [u8]) -> &'static str {
    let (text, _nul) = entry.split_at(entry.len() - 1);
    match std::str::from_utf8(text) {
        Ok(text) => text,
        Err(_) => panic!("relib_sdk: signature text is not UTF-8"),
    }
}

/// Whether `raw` (a type as the user wrote it) is spelled as the host expects for a type whose
/// `SIG` is `expected`: equal, or for a `SIG` ending in a space or `&`, starting with it.
pub const fn type_text_matches(raw: &str, expected: &str) -> bool {
    let mut buf = [0u8; 256];
    let len = put_type(&mut buf, 0, raw);
    if len > buf.len() {
        return false;
    }
    let e = expected.as_bytes();
    let prefix = !e.is_empty() && (e[e.len() - 1] == b' ' || e[e.len() - 1] == b'&');
    let length_ok = if prefix { len > e.len() } else { len == e.len() };
    length_ok && starts_with(&buf, e)
}

const fn starts_with(haystack: &[u8], prefix: &[u8]) -> bool {
    if prefix.len() > haystack.len() {
        return false;
    }
    let mut i = 0;
    while i < prefix.len() {
        if haystack[i] != prefix[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(name: &str, params: &[&str], ret: &str) -> String {
        let mut buf = vec![0u8; entry_len(name, params, ret)];
        let n = put_entry(&mut buf, name, params, ret);
        assert_eq!(n, buf.len());
        assert_eq!(buf.pop(), Some(0), "entry ends with one NUL");
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn canonical_type_spelling() {
        assert_eq!(text("f", &["* const std :: ffi :: c_char"], "()"), "f(*const c_char)");
        assert_eq!(text("f", &["&'static str"], "& 'a [u8]"), "f(&str) -> &[u8]");
        assert_eq!(text("f", &["::core::ffi::c_void"], ""), "f(c_void)");
        assert_eq!(text("f", &["Option < & u32 >", "*mut MyStruct"], "Vec < u8 >"), "f(Option<&u32>, *mut MyStruct) -> Vec<u8>");
        assert_eq!(text("f", &["&mut u8"], "std::string::String"), "f(&mut u8) -> String");
    }

    #[test]
    fn unit_return_is_left_out() {
        assert_eq!(text("main", &[], "()"), "main()");
        assert_eq!(text("main", &[], ""), "main()");
        assert_eq!(text("add", &["i32", "i32"], "i32"), "add(i32, i32) -> i32");
    }

    #[test]
    fn const_entry_has_exact_length() {
        const E: [u8; entry_len("greet", &["&str"], "String")] = entry("greet", &["&str"], "String");
        assert_eq!(&E, b"greet(&str) -> String\0");
    }

    #[test]
    fn type_text_checks() {
        assert!(type_text_matches("u8", "u8"));
        assert!(!type_text_matches("Byte", "u8"));
        assert!(type_text_matches("*const std::ffi::c_char", "*const "));
        assert!(!type_text_matches("*mut u8", "*const "));
        assert!(type_text_matches("Option<&Point>", "Option<&"));
        assert!(type_text_matches("&'static str", "&str"));
        assert!(!type_text_matches("u8x", "u8"));
    }
}
