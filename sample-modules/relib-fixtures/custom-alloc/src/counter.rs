//! relib's custom_global_alloc example: a global allocator that counts live blocks, a `main` that
//! leaks one byte, and `Exports::live_blocks`. Shared by `custom-alloc` and `custom-alloc-tracked`
//! (`#[path]`), which differ only in whether `AllocTracker` wraps the counter.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::mem::forget;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Counter;

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
