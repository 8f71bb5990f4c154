//! relib's `dealloc_validation` test module, with the bad free moved from `main` into an export so
//! that a host can load and call `main` first: `Exports::dealloc_invalid` frees 0x1, which is in
//! neither the tracker's cache nor the host's live set, so the module calls `unrecoverable` with
//! "invalid pointer was passed to dealloc of global allocator" and the host aborts.

use relib_abi_unloading::AllocTracker;
use std::alloc::{dealloc, Layout, System};

relib_abi::compilation_info!(unloading);

#[global_allocator]
static ALLOC_TRACKER: AllocTracker<System> = AllocTracker::with_dealloc_validation(System);

relib_abi::export! {
    fn main() {
        println!("[module] dealloc_validation");
    }
}

relib_abi::exports! {
    trait Exports;

    fn dealloc_invalid() {
        // 0x1, relib's test value: never returned by an allocator
        unsafe { dealloc(std::ptr::dangling_mut::<u8>(), Layout::new::<u8>()) }
    }
}
