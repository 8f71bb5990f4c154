//! The `pthread_create` hook: counts module-created threads that are still running their start
//! routine (RELIB-PROTOCOL.md §5 step 2). The count drops when the start routine returns, before
//! that thread's TLS destructors run, as in relib. Only the module's own calls reach this hook
//! (RTLD_DEEPBIND); the host's threads are never counted.

use crate::sys::{NextSymbol, PthreadT};
use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicU64, Ordering};

type StartRoutine = extern "C" fn(*mut c_void) -> *mut c_void;
type PthreadCreate = unsafe extern "C" fn(*mut PthreadT, *const c_void, StartRoutine, *mut c_void) -> c_int;

static SPAWNED_THREADS: AtomicU64 = AtomicU64::new(0);
static REAL_PTHREAD_CREATE: NextSymbol = NextSymbol::new(c"pthread_create");

struct Start {
    routine: StartRoutine,
    arg: *mut c_void,
}

pub fn spawned_threads_count() -> u64 {
    SPAWNED_THREADS.load(Ordering::SeqCst)
}

#[unsafe(no_mangle)]
unsafe extern "C" fn pthread_create(
    thread: *mut PthreadT,
    attr: *const c_void,
    routine: StartRoutine,
    arg: *mut c_void,
) -> c_int {
    let start = Box::into_raw(Box::new(Start { routine, arg }));
    // Counted before the thread exists, so that a thread that finishes at once never takes the
    // count below zero (relib counts after the call).
    SPAWNED_THREADS.fetch_add(1, Ordering::SeqCst);
    let real: PthreadCreate = std::mem::transmute(REAL_PTHREAD_CREATE.address());
    let result = real(thread, attr, run_counted, start.cast());
    if result != 0 {
        SPAWNED_THREADS.fetch_sub(1, Ordering::SeqCst);
        drop(Box::from_raw(start));
    }
    result
}

extern "C" fn run_counted(start: *mut c_void) -> *mut c_void {
    // SAFETY: `start` is the Box that pthread_create above handed to this thread alone.
    let Start { routine, arg } = *unsafe { Box::from_raw(start.cast::<Start>()) };
    let result = routine(arg);
    SPAWNED_THREADS.fetch_sub(1, Ordering::SeqCst);
    result
}
