//! An unloading module whose compilation info says relib `0.6.0`: a relib 0.7 host refuses it with
//! `ModuleCompilationMismatch` ("module is compiled with different configuration"). Everything else
//! is a well-formed 0.7 module, so a debugging host that loads it anyway can call and unload it.

use relib_abi_unloading::AllocTracker;
use std::alloc::System;

relib_abi::compilation_info!(unloading, relib = "0.6.0");

#[global_allocator]
static ALLOC_TRACKER: AllocTracker<System> = AllocTracker::with_dealloc_validation(System);

relib_abi::export! {
    fn main() {
        println!("[module] built for relib 0.6.0");
    }
}
