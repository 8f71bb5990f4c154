//! relib's `custom_global_alloc` example built with `unloading_core` but without AllocTracker: the
//! module's global allocator is its own counter, so the host hears of no allocation (no `on_alloc`
//! during init; RELIB-PROTOCOL.md §7). A relib host loads it with `enable_alloc_tracker = false`;
//! with `true`, relib_host warns at unload that no alloc tracker seems registered. `main` leaks one
//! byte that no relib host can free.

mod counter;

// Nothing here names an item of the unloading core; this links it (its internal exports and hooks).
extern crate relib_abi_unloading;

relib_abi::compilation_info!(unloading);

#[global_allocator]
static ALLOC_COUNTER: counter::Counter = counter::Counter;
