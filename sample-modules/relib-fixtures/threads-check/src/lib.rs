//! relib's `threads_check` test module: `main` starts a thread that sleeps for 10^6 s, so
//! `spawned_threads_count()` stays 1 and relib's unload returns `ThreadsStillRunning`.

use relib_abi_unloading::AllocTracker;
use std::alloc::System;
use std::thread;
use std::time::Duration;

relib_abi::compilation_info!(unloading);

#[global_allocator]
static ALLOC_TRACKER: AllocTracker<System> = AllocTracker::with_dealloc_validation(System);

relib_abi::export! {
    fn main() {
        thread::spawn(|| thread::sleep(Duration::from_secs(1_000_000)));
    }
}
