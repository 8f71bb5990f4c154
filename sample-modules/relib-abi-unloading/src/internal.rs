//! relib's internal imports (slots the host fills before `init`) and the 8 internal exports
//! (RELIB-PROTOCOL.md §3, §4). All are plain C functions: no success flag, no boxing. The symbol
//! names are `__relib_____Internal___{Exports,Imports}____{fn}` (5, 3 and 4 underscores).
#![allow(non_upper_case_globals)]

use crate::{mappings, pthread_keys, state, thread_locals, thread_spawn, tracker};
use relib_abi::protocol::{Allocation, AllocatorOp, ModuleId, RawSlice, StableLayout, Str};
use std::ffi::c_void;
use std::ptr::{addr_of, read_volatile};

type OnAlloc = extern "C" fn(ModuleId, *mut u8, StableLayout);
type OnCachedAllocs = extern "C" fn(ModuleId, RawSlice<AllocatorOp>);
// noreturn by contract; declared as returning so that a host breaking it reaches state::unrecoverable's
// own abort instead of undefined behaviour.
type Unrecoverable = extern "C" fn(ModuleId, Str);
type IsPtrAllocated = extern "C" fn(ModuleId, *mut u8) -> bool;

#[unsafe(no_mangle)]
static mut __relib_____Internal___Imports____on_alloc: OnAlloc = unset_on_alloc;
#[unsafe(no_mangle)]
static mut __relib_____Internal___Imports____on_cached_allocs: OnCachedAllocs = unset_on_cached_allocs;
#[unsafe(no_mangle)]
static mut __relib_____Internal___Imports____unrecoverable: Unrecoverable = unset_unrecoverable;
#[unsafe(no_mangle)]
static mut __relib_____Internal___Imports____is_ptr_allocated: IsPtrAllocated = unset_is_ptr_allocated;

// The placeholders run inside the allocator, so they report without allocating.
fn unset(name: &str) -> ! {
    crate::sys::fatal(&[
        b"[relib] internal import ",
        name.as_bytes(),
        b" was called before the host filled its slot (a relib host writes all four before init), aborting\n",
    ]);
}
extern "C" fn unset_on_alloc(_: ModuleId, _: *mut u8, _: StableLayout) {
    unset("on_alloc")
}
extern "C" fn unset_on_cached_allocs(_: ModuleId, _: RawSlice<AllocatorOp>) {
    unset("on_cached_allocs")
}
extern "C" fn unset_unrecoverable(_: ModuleId, message: Str) {
    // SAFETY: the message is one of this module's string literals.
    let text = unsafe { message.0.as_slice() };
    crate::sys::fatal(&[b"[relib] internal import unrecoverable was called before the host filled its slot: ", text, b"\n"]);
}
extern "C" fn unset_is_ptr_allocated(_: ModuleId, _: *mut u8) -> bool {
    unset("is_ptr_allocated")
}

// Slots are read at each call: the host may write them at any time before init.
pub fn call_on_alloc(module: ModuleId, ptr: *mut u8, layout: StableLayout) {
    // SAFETY: an 8-byte aligned fn pointer that only the host writes.
    let slot = unsafe { read_volatile(addr_of!(__relib_____Internal___Imports____on_alloc)) };
    slot(module, ptr, layout)
}

pub fn call_on_cached_allocs(module: ModuleId, ops: &[AllocatorOp]) {
    // SAFETY: as above.
    let slot = unsafe { read_volatile(addr_of!(__relib_____Internal___Imports____on_cached_allocs)) };
    slot(module, RawSlice::from_slice(ops))
}

pub fn call_unrecoverable(module: ModuleId, message: &str) {
    // SAFETY: as above.
    let slot = unsafe { read_volatile(addr_of!(__relib_____Internal___Imports____unrecoverable)) };
    slot(module, Str::const_from(message))
}

pub fn call_is_ptr_allocated(module: ModuleId, ptr: *mut u8) -> bool {
    // SAFETY: as above.
    let slot = unsafe { read_volatile(addr_of!(__relib_____Internal___Imports____is_ptr_allocated)) };
    slot(module, ptr)
}

#[unsafe(no_mangle)]
extern "C" fn __relib_____Internal___Exports____init(owner_thread: usize, module: ModuleId, enable_alloc_tracker: bool) {
    state::record_init(owner_thread, module);
    if enable_alloc_tracker {
        tracker::init();
    }
}

#[unsafe(no_mangle)]
extern "C" fn __relib_____Internal___Exports____exit(allocs: RawSlice<Allocation>) {
    // SAFETY: the host passes its array of the module's live allocations, valid for this call.
    tracker::free_leaked(unsafe { allocs.as_slice() });
}

#[unsafe(no_mangle)]
extern "C" fn __relib_____Internal___Exports____take_cached_allocs_before_exit() {
    tracker::flush_cache();
}

#[unsafe(no_mangle)]
extern "C" fn __relib_____Internal___Exports____lock_module_allocator() {
    state::lock_allocator();
}

#[unsafe(no_mangle)]
extern "C" fn __relib_____Internal___Exports____spawned_threads_count() -> u64 {
    thread_spawn::spawned_threads_count()
}

#[unsafe(no_mangle)]
extern "C" fn __relib_____Internal___Exports____run_thread_local_dtors() {
    thread_locals::run_owner_thread_dtors();
}

#[unsafe(no_mangle)]
extern "C" fn __relib_____Internal___Exports____misc_cleanup() {
    mappings::unmap_recorded();
    pthread_keys::delete_recorded();
}

/// Windows only in relib; on Linux relib's module treats a call as unrecoverable, and so do we.
#[unsafe(no_mangle)]
extern "C" fn __relib_____Internal___Exports____set_dealloc_callback(_callback: *const c_void) {
    state::unrecoverable("set_dealloc_callback called on linux");
}
