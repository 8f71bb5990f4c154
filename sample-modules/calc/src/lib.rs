//! One export per type the signature invoker supports, so a test can check each conversion against
//! a real call. Plain `#[no_mangle] extern "C"` functions; no SDK.

use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};

/// The benchmark's function: the cheapest possible call.
#[no_mangle]
pub extern "C" fn add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

#[no_mangle]
pub extern "C" fn neg_i8(x: i8) -> i8 {
    x.wrapping_neg()
}

#[no_mangle]
pub extern "C" fn double_i16(x: i16) -> i16 {
    x.wrapping_mul(2)
}

#[no_mangle]
pub extern "C" fn mul_i64(a: i64, b: i64) -> i64 {
    a.wrapping_mul(b)
}

#[no_mangle]
pub extern "C" fn add_u8(a: u8, b: u8) -> u8 {
    a.wrapping_add(b)
}

#[no_mangle]
pub extern "C" fn wrap_u16(x: u16) -> u16 {
    x.wrapping_add(1)
}

#[no_mangle]
pub extern "C" fn sub_u32(a: u32, b: u32) -> u32 {
    a.wrapping_sub(b)
}

#[no_mangle]
pub extern "C" fn max_u64() -> u64 {
    u64::MAX
}

#[no_mangle]
pub extern "C" fn half_u64(x: u64) -> u64 {
    x / 2
}

#[no_mangle]
pub extern "C" fn diff_isize(a: isize, b: isize) -> isize {
    a.wrapping_sub(b)
}

#[no_mangle]
pub extern "C" fn add_usize(a: usize, b: usize) -> usize {
    a.wrapping_add(b)
}

#[no_mangle]
pub extern "C" fn scale_f32(x: f32, factor: f32) -> f32 {
    x * factor
}

#[no_mangle]
pub extern "C" fn hypot(a: f64, b: f64) -> f64 {
    a.hypot(b)
}

#[no_mangle]
pub extern "C" fn is_even(x: u64) -> bool {
    x % 2 == 0
}

#[no_mangle]
pub extern "C" fn not(x: bool) -> bool {
    !x
}

/// The next Unicode scalar value, skipping the surrogate gap; `char::MAX` stays.
#[allow(improper_ctypes_definitions)]
#[no_mangle]
pub extern "C" fn next_char(c: char) -> char {
    let next = if c as u32 == 0xD7FF { 0xE000 } else { c as u32 + 1 };
    char::from_u32(next).unwrap_or(c)
}

/// `&str` in, as the (pointer, length) pair the invoker passes.
///
/// # Safety
/// `ptr` points to `len` bytes of UTF-8.
#[no_mangle]
pub unsafe extern "C" fn str_len(ptr: *const u8, len: usize) -> usize {
    as_str(ptr, len).chars().count()
}

/// # Safety
/// `ptr` points to `len` bytes of UTF-8.
#[no_mangle]
pub unsafe extern "C" fn count_words(ptr: *const u8, len: usize) -> u32 {
    as_str(ptr, len).split_whitespace().count() as u32
}

/// `&[u8]` in.
///
/// # Safety
/// `ptr` points to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn sum_bytes(ptr: *const u8, len: usize) -> u64 {
    as_bytes(ptr, len).iter().map(|&b| u64::from(b)).sum()
}

#[allow(improper_ctypes_definitions)]
#[no_mangle]
pub extern "C" fn version() -> &'static str {
    "calc 0.1.0"
}

#[allow(improper_ctypes_definitions)]
#[no_mangle]
pub extern "C" fn magic_bytes() -> &'static [u8] {
    b"\x7fELF\x00"
}

thread_local! {
    // Keeps the last greeting alive until the next call on this thread, so nothing leaks.
    static GREETING: RefCell<CString> = RefCell::new(CString::default());
}

/// C string in and out. Returns null for a null name.
///
/// # Safety
/// `name` is null or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn greet(name: *const c_char) -> *const c_char {
    if name.is_null() {
        return std::ptr::null();
    }
    let name = CStr::from_ptr(name).to_string_lossy();
    let text = CString::new(format!("hello, {name}!")).expect("no NUL in a CStr");
    GREETING.with(|cell| {
        *cell.borrow_mut() = text;
        cell.borrow().as_ptr()
    })
}

/// `Option<&u32>`: the value, or the fallback for None.
#[no_mangle]
pub extern "C" fn deref_or(value: Option<&u32>, fallback: u32) -> u32 {
    value.copied().unwrap_or(fallback)
}

/// An out-parameter; returns whether it wrote.
///
/// # Safety
/// `out` is null or points to a writable u32.
#[no_mangle]
pub unsafe extern "C" fn write_answer(out: *mut u32) -> bool {
    if out.is_null() {
        return false;
    }
    *out = 42;
    true
}

/// Integer and float arguments interleaved, so each lands in its own register class.
#[no_mangle]
pub extern "C" fn mix(a: i32, b: f64, c: u8, d: f32) -> f64 {
    f64::from(a) + b + f64::from(c) + f64::from(d)
}

/// More integer arguments than there are argument registers.
#[no_mangle]
pub extern "C" fn sum8(a: i64, b: i64, c: i64, d: i64, e: i64, f: i64, g: i64, h: i64) -> i64 {
    // Each argument weighted by its position, so a swapped or dropped argument changes the result.
    [a, b, c, d, e, f, g, h]
        .iter()
        .rev()
        .fold(0i64, |acc, &x| acc.wrapping_mul(10).wrapping_add(x))
}

/// Six small arguments: still the fast path.
#[no_mangle]
pub extern "C" fn sum6(a: u8, b: u16, c: u32, d: i8, e: i16, f: i32) -> i64 {
    i64::from(a) + i64::from(b) + i64::from(c) + i64::from(d) + i64::from(e) + i64::from(f)
}

unsafe fn as_bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    }
}

unsafe fn as_str<'a>(ptr: *const u8, len: usize) -> &'a str {
    std::str::from_utf8(as_bytes(ptr, len)).unwrap_or("")
}

/// The (ptr, len, cap) triple an SDK module returns an owned `String` or `Vec<u8>` as.
#[repr(C)]
pub struct OwnedBytes {
    ptr: *const u8,
    len: usize,
    cap: usize,
}

/// Shaped like an SDK module's `-> String`, but pointing at static text (cap 0), so nothing needs freeing.
#[no_mangle]
pub extern "C" fn owned_text() -> OwnedBytes {
    let text = "owned by nobody";
    OwnedBytes { ptr: text.as_ptr(), len: text.len(), cap: 0 }
}

/// `&mut [u8]` in: fills the caller's buffer.
///
/// # Safety
/// `ptr` points to `len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn fill_bytes(ptr: *mut u8, len: usize, value: u8) {
    if len > 0 {
        std::slice::from_raw_parts_mut(ptr, len).fill(value);
    }
}
