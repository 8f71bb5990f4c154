//! # relib_abi_unloading: relib 0.7's `unloading_core`, for test fixtures
//!
//! Linking this crate into a relib_abi fixture is what enabling `relib_module`'s `unloading` (or
//! `unloading_core`) feature does to a relib module: it adds the items of RELIB-PROTOCOL.md §3–§6,
//!
//! * the 4 internal import slots `__relib_____Internal___Imports____{on_alloc, on_cached_allocs,
//!   unrecoverable, is_ptr_allocated}`, each holding a placeholder that names itself and aborts;
//! * the 8 internal exports `__relib_____Internal___Exports____{init, exit,
//!   take_cached_allocs_before_exit, lock_module_allocator, spawned_threads_count,
//!   run_thread_local_dtors, misc_cleanup, set_dealloc_callback}`;
//! * the hooks `pthread_create`, `__cxa_thread_atexit_impl`, `mmap64`, `munmap`,
//!   `pthread_key_create`, `pthread_key_delete`, which only the module's own calls reach because a
//!   relib host opens it with RTLD_DEEPBIND;
//! * [`AllocTracker`], which the fixture installs as its `#[global_allocator]` (relib's
//!   `global_alloc_tracker` feature does that implicitly).
//!
//! The fixture must also say `relib_abi::compilation_info!(unloading)`.

mod internal;
mod mappings;
mod pthread_keys;
mod state;
mod sys;
mod thread_locals;
mod thread_spawn;
mod tracker;

pub use tracker::{AllocTracker, CACHE_SIZE};
