//! The `__cxa_thread_atexit_impl` hook (RELIB-PROTOCOL.md §5 step 4). Rust std registers its TLS
//! destructors through this symbol. On the owner thread they are kept here and run by
//! `run_thread_local_dtors` at unload; libc's version would pin the module (dlclose keeps it mapped
//! while destructors are pending) until the host thread exits. Other threads use libc's.

use crate::state::is_owner_thread;
use crate::sys::NextSymbol;
use std::ffi::{c_int, c_void};
use std::sync::Mutex;

type Dtor = unsafe extern "C" fn(*mut c_void);
type CxaThreadAtexit = unsafe extern "C" fn(Dtor, *mut c_void, *mut c_void) -> c_int;

struct OwnerDtor {
    dtor: Dtor,
    obj: *mut c_void,
}

// SAFETY: registered and run on the owner thread only.
unsafe impl Send for OwnerDtor {}

static OWNER_DTORS: Mutex<Vec<OwnerDtor>> = Mutex::new(Vec::new());
static REAL_CXA_THREAD_ATEXIT: NextSymbol = NextSymbol::new(c"__cxa_thread_atexit_impl");

#[unsafe(no_mangle)]
unsafe extern "C" fn __cxa_thread_atexit_impl(dtor: Dtor, obj: *mut c_void, dso_symbol: *mut c_void) -> c_int {
    if is_owner_thread() {
        lock().push(OwnerDtor { dtor, obj });
        0
    } else {
        let real: CxaThreadAtexit = std::mem::transmute(REAL_CXA_THREAD_ATEXIT.address());
        real(dtor, obj, dso_symbol)
    }
}

fn lock() -> std::sync::MutexGuard<'static, Vec<OwnerDtor>> {
    OWNER_DTORS.lock().unwrap_or_else(|_| crate::state::unrecoverable("failed to lock the thread-local destructors"))
}

/// Runs the owner thread's destructors, last registered first, until none is left (a destructor
/// may register another); the lock is not held while one runs.
pub fn run_owner_thread_dtors() {
    loop {
        let next = lock().pop();
        match next {
            // SAFETY: std registered (dtor, obj) for this thread, which is the one running them.
            Some(OwnerDtor { dtor, obj }) => unsafe { dtor(obj) },
            None => break,
        }
    }
    // Give the list's buffer back now, so that its free is cached before the final flush.
    *lock() = Vec::new();
}
