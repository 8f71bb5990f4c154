//! The SDK's tour: `main` and `before_unload`, and one export per supported type, including owned
//! returns (`String`, `Vec<u8>`) that the host frees with `relib_sdk_free`.

use std::ffi::{c_char, CStr};

relib_sdk::main! { || {
    eprintln!("hello: main ran (relib_sdk {})", env!("CARGO_PKG_VERSION"));
} }

relib_sdk::before_unload! { || {
    eprintln!("hello: before_unload ran");
} }

#[repr(C)]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

relib_sdk::exports! {
    /// The classic.
    fn add(a: i32, b: i32) -> i32 { a.wrapping_add(b) }
    fn greet(name: &str) -> String { format!("hello, {name}") }
    fn checksum(data: &[u8]) -> u32 { data.iter().fold(0u32, |acc, &b| acc.rotate_left(5) ^ b as u32) }
    fn repeat_byte(byte: u8, count: usize) -> Vec<u8> { vec![byte; count] }
    fn version() -> &'static str { env!("CARGO_PKG_VERSION") }
    fn noop() {}
    fn negate(flag: bool) -> bool { !flag }
    fn widen_i8(v: i8) -> i16 { v as i16 * 2 }
    fn add_i64(a: i64, b: i64) -> i64 { a.wrapping_add(b) }
    fn add_u16(a: u16, b: u16) -> u16 { a.wrapping_add(b) }
    fn add_u64(a: u64, b: u64) -> u64 { a.wrapping_add(b) }
    fn sub_isize(a: isize, b: isize) -> isize { a.wrapping_sub(b) }
    fn half_usize(v: usize) -> usize { v / 2 }
    fn scale_f32(v: f32, by: f32) -> f32 { v * by }
    fn distance(a: f64, b: f64) -> f64 { a.hypot(b) }
    fn next_char(c: char) -> char { char::from_u32(c as u32 + 1).unwrap_or(c) }
    fn cstr_len(s: *const c_char) -> usize { if s.is_null() { 0 } else { unsafe { CStr::from_ptr(s) }.to_bytes().len() } }
    fn greeting_cstr() -> *const c_char { c"hello from C land".as_ptr() }
    fn fill(buf: *mut u8, len: usize, byte: u8) { if !buf.is_null() { unsafe { std::ptr::write_bytes(buf, byte, len) } } }
    fn point_sum(p: Option<&Point>) -> i32 { p.map_or(-1, |p| p.x + p.y) }
}
