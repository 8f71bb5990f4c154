//! relib's `custom_global_alloc` example built with `unloading_core` but without AllocTracker: the
//! module's global allocator is its own counter, so the host hears of no allocation (no `on_alloc`
//! during init; RELIB-PROTOCOL.md §7). A relib host loads it with `enable_alloc_tracker = false`;
//! with `true`, relib_host warns at unload that no alloc tracker seems registered. `main` leaks one
//! byte that no relib host can free.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::mem::forget;
use std::sync::atomic::{AtomicUsize, Ordering};

// Nothing here names an item of the unloading core; this links it (its internal exports and hooks).
extern crate relib_abi_unloading;

relib_abi::compilation_info!(unloading);

struct Counter;

static LIVE_BLOCKS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counter {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = System.alloc(layout);
        if !ptr.is_null() {
            LIVE_BLOCKS.fetch_add(1, Ordering::SeqCst);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE_BLOCKS.fetch_sub(1, Ordering::SeqCst);
    }
}

#[global_allocator]
static ALLOC_COUNTER: Counter = Counter;

relib_abi::export! {
    fn main() {
        let before = LIVE_BLOCKS.load(Ordering::SeqCst);
        forget(black_box(vec![1_u8]));
        let after = LIVE_BLOCKS.load(Ordering::SeqCst);
        println!("allocations before: {before}");
        println!("allocations after: {after}");
    }
}

relib_abi::exports! {
    trait Exports;

    /// Blocks the counter holds right now.
    fn live_blocks() -> usize {
        LIVE_BLOCKS.load(Ordering::SeqCst)
    }
}
