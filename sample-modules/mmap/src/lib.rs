//! Calls libc's mmap directly: one mapping leaked, one unmapped.
use std::ffi::c_void;

extern "C" {
    fn mmap(addr: *mut c_void, len: usize, prot: i32, flags: i32, fd: i32, offset: i64) -> *mut c_void;
    fn munmap(addr: *mut c_void, len: usize) -> i32;
}

const PROT_READ_WRITE: i32 = 0x1 | 0x2;
const MAP_PRIVATE_ANONYMOUS: i32 = 0x02 | 0x20;

fn map(len: usize) -> *mut u8 {
    // SAFETY: an anonymous private mapping has no preconditions.
    let p = unsafe { mmap(std::ptr::null_mut(), len, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0) };
    if p as isize == -1 {
        return std::ptr::null_mut();
    }
    let p = p as *mut u8;
    // SAFETY: the mapping is at least one byte long and writable.
    unsafe { p.write(1) };
    p
}

/// An anonymous read-write mapping of `len` bytes, never unmapped; null on failure.
#[no_mangle]
pub extern "C" fn map_anon(len: usize) -> *mut u8 {
    map(len)
}

/// Maps and unmaps `len` bytes; returns munmap's result.
#[no_mangle]
pub extern "C" fn map_and_unmap(len: usize) -> i32 {
    let p = map(len);
    // SAFETY: p is the start of a mapping of len bytes that nothing else refers to.
    unsafe { munmap(p as *mut c_void, len) }
}
