//! relib's `custom_global_alloc` example with its `unloading` feature (= `unloading_core`): the
//! module's own counting allocator wrapped in `AllocTracker`, so the host tracks it like any other
//! (the genuine `libcustom_global_alloc-unloading.so`). `main` leaks one byte, which unload frees
//! through `exit`; `Exports::live_blocks` shows the counter going back down.

use relib_abi_unloading::AllocTracker;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::mem::forget;
use std::sync::atomic::{AtomicUsize, Ordering};

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
static ALLOC_TRACKER: AllocTracker<Counter> = AllocTracker::new(Counter);

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
