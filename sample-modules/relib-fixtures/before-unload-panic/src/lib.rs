//! relib's `before_unload_panic` test module: `before_unload` panics, so relib's unload returns
//! `BeforeUnloadPanicked` before any other step.

use relib_abi_unloading::AllocTracker;
use std::alloc::System;

relib_abi::compilation_info!(unloading);

#[global_allocator]
static ALLOC_TRACKER: AllocTracker<System> = AllocTracker::with_dealloc_validation(System);

relib_abi::export! {
    fn main() {}

    fn before_unload() {
        panic!("expected panic");
    }
}
