//! Leaks exactly what each export says, so the agent's counts can be checked to the byte; also the
//! allocation benchmark's workload.
use std::hint::black_box;
use std::sync::OnceLock;

static LEAKED_STRING: OnceLock<String> = OnceLock::new();

/// One heap block of exactly `n` bytes, never freed.
#[no_mangle]
pub extern "C" fn leak_bytes(n: usize) {
    std::mem::forget(Vec::<u8>::with_capacity(n));
}

/// A String kept in a static; returns its length, which is the block's size.
#[no_mangle]
pub extern "C" fn leak_string() -> usize {
    LEAKED_STRING.get_or_init(|| String::from("kept alive by a static")).len()
}

#[allow(dead_code)]
struct Leaked {
    a: u64,
    b: u64,
    c: u64,
}

/// A small struct behind `Box::leak`; returns its size in bytes.
#[no_mangle]
pub extern "C" fn leak_box() -> usize {
    let leaked: &'static mut Leaked = Box::leak(Box::new(Leaked { a: 1, b: 2, c: 3 }));
    black_box(leaked);
    std::mem::size_of::<Leaked>()
}

/// `n` Box::new/drop pairs of a u64; returns their sum so nothing is optimised away.
#[no_mangle]
pub extern "C" fn box_roundtrip(n: u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        let boxed = black_box(Box::new(i));
        sum = sum.wrapping_add(*boxed);
    }
    sum
}

/// Allocates `n` zeroed bytes and frees them: no leak.
#[no_mangle]
pub extern "C" fn alloc_free(n: usize) -> usize {
    let v = black_box(vec![0u8; n]);
    v.len()
}

/// `n` bytes from the Rust allocator, for a host (or another module) to hand back to `free_raw`.
#[no_mangle]
pub extern "C" fn alloc_raw(n: usize) -> *mut u8 {
    // SAFETY: n > 0 is the caller's promise; the layout has alignment 1.
    unsafe { std::alloc::alloc(std::alloc::Layout::from_size_align_unchecked(n, 1)) }
}

/// Resizes a block from `alloc_raw` (realloc).
#[no_mangle]
pub extern "C" fn grow_raw(p: *mut u8, old: usize, new: usize) -> *mut u8 {
    // SAFETY: p came from alloc_raw/grow_raw with size old.
    unsafe { std::alloc::realloc(p, std::alloc::Layout::from_size_align_unchecked(old, 1), new) }
}

/// Frees a block from `alloc_raw` or `grow_raw`.
#[no_mangle]
pub extern "C" fn free_raw(p: *mut u8, n: usize) {
    // SAFETY: p came from alloc_raw/grow_raw with size n.
    unsafe { std::alloc::dealloc(p, std::alloc::Layout::from_size_align_unchecked(n, 1)) }
}

/// Leaks one block of `n` bytes through two named frames, so a recorded call stack has the
/// module's own functions to show: `leak_via_nested` -> `nested_outer` -> `nested_inner`.
#[no_mangle]
pub extern "C" fn leak_via_nested(n: usize) {
    nested_outer(n);
}

#[inline(never)]
fn nested_outer(n: usize) {
    black_box(nested_inner(n));
}

#[inline(never)]
fn nested_inner(n: usize) -> usize {
    let block = Vec::<u8>::with_capacity(n); // leak_via_nested allocates here
    let len = block.capacity();
    std::mem::forget(block);
    len
}
