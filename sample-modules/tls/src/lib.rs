//! A `thread_local!` whose destructor increments a host-owned counter, so the host can see when
//! (and on which thread) the destructor ran.
use std::sync::atomic::{AtomicPtr, Ordering};

static COUNTER: AtomicPtr<u64> = AtomicPtr::new(std::ptr::null_mut());

struct CountsDrops;

impl Drop for CountsDrops {
    fn drop(&mut self) {
        let counter = COUNTER.load(Ordering::SeqCst);
        if !counter.is_null() {
            // SAFETY: the host passed a pointer to a u64 that outlives the module.
            unsafe { *counter += 1 };
        }
    }
}

thread_local! {
    static GUARD: CountsDrops = const { CountsDrops };
}

/// Where the destructor counts; the host keeps the u64 alive until after unload.
#[no_mangle]
pub extern "C" fn set_drop_counter(counter: *mut u64) {
    COUNTER.store(counter, Ordering::SeqCst);
}

/// Initialises the thread-local on the calling thread (registering its destructor).
#[no_mangle]
pub extern "C" fn touch_tls() {
    GUARD.with(|_| {});
}

/// Touches the thread-local on a new thread and joins it: the destructor runs at that thread's exit.
#[no_mangle]
pub extern "C" fn touch_tls_in_thread() {
    std::thread::spawn(|| touch_tls()).join().expect("tls thread panicked");
}
