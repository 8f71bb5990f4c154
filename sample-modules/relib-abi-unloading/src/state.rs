//! What `init` records (module id, owner thread), the allocator lock, and `unrecoverable`.

use crate::internal;
use crate::sys;
use relib_abi::protocol::ModuleId;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

static MODULE_ID: AtomicU64 = AtomicU64::new(0);
/// The host thread that called `init`: exports should run on it and unload must.
static OWNER_THREAD: AtomicUsize = AtomicUsize::new(0);
static ALLOCATOR_LOCK: AtomicBool = AtomicBool::new(false);

pub fn module_id() -> ModuleId {
    MODULE_ID.load(Ordering::SeqCst)
}

pub fn record_init(owner_thread: usize, module: ModuleId) {
    OWNER_THREAD.store(owner_thread, Ordering::SeqCst);
    MODULE_ID.store(module, Ordering::SeqCst);
}

pub fn is_owner_thread() -> bool {
    // SAFETY: pthread_self has no preconditions.
    let current = unsafe { sys::pthread_self() };
    current == OWNER_THREAD.load(Ordering::SeqCst)
}

pub fn lock_allocator() {
    ALLOCATOR_LOCK.store(true, Ordering::SeqCst);
}

/// After `lock_module_allocator`, only the owner thread may still allocate: it runs the TLS
/// destructors and `exit`. Any other thread is a module thread the host did not know about.
pub fn assert_allocator_is_still_accessible() {
    if ALLOCATOR_LOCK.load(Ordering::SeqCst) && !is_owner_thread() {
        unrecoverable(
            "module allocator was invoked while module was in the process of unloading\n\
             note: before unloading the module, make sure that all threads are joined if any were spawned by it\n\
             note: you can register \"before_unload\" callback for it",
        );
    }
}

/// Hands `message` to the host's `unrecoverable` import, which must not return.
pub fn unrecoverable(message: &str) -> ! {
    internal::call_unrecoverable(module_id(), message);
    sys::fatal(&[b"[relib] the host's unrecoverable import returned, aborting\n"]);
}
