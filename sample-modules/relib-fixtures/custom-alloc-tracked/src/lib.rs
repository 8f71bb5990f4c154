//! relib's `custom_global_alloc` example with its `unloading` feature (= `unloading_core`): the
//! module's own counting allocator wrapped in `AllocTracker`, so the host tracks it like any other
//! (the genuine `libcustom_global_alloc-unloading.so`). `main` leaks one byte, which unload frees
//! through `exit`; `Exports::live_blocks` shows the counter going back down.

#[path = "../../custom-alloc/src/counter.rs"]
mod counter;

use relib_abi_unloading::AllocTracker;

relib_abi::compilation_info!(unloading);

#[global_allocator]
static ALLOC_TRACKER: AllocTracker<counter::Counter> = AllocTracker::new(counter::Counter);
