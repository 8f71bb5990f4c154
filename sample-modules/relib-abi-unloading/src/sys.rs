//! The few libc functions the unloading core needs, declared here (no libc crate: std only).
//! The hooked functions' real implementations are found with `dlsym(RTLD_NEXT, …)` and cached.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::atomic::{AtomicUsize, Ordering};

pub type PthreadT = usize;
pub type PthreadKey = u32;

const RTLD_NEXT: *mut c_void = -1isize as *mut c_void;

extern "C" {
    pub fn pthread_self() -> PthreadT;
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
    fn write(fd: c_int, buf: *const c_void, count: usize) -> isize;
}

/// A libc function this module hooks, resolved past the module (`RTLD_NEXT`) on first use.
pub struct NextSymbol {
    name: &'static CStr,
    address: AtomicUsize,
}

impl NextSymbol {
    pub const fn new(name: &'static CStr) -> Self {
        NextSymbol { name, address: AtomicUsize::new(0) }
    }

    /// The real function's address; aborts with its name if libc has none.
    pub fn address(&self) -> usize {
        let cached = self.address.load(Ordering::Relaxed);
        if cached != 0 {
            return cached;
        }
        // SAFETY: dlsym with a NUL-terminated name; RTLD_NEXT searches past this module.
        let found = unsafe { dlsym(RTLD_NEXT, self.name.as_ptr()) } as usize;
        if found == 0 {
            fatal(&[b"[relib] dlsym(RTLD_NEXT) found no ", self.name.to_bytes(), b", aborting\n"]);
        }
        self.address.store(found, Ordering::Relaxed);
        found
    }
}

/// Writes `parts` to stderr without allocating (callable from inside the global allocator) and
/// aborts.
pub fn fatal(parts: &[&[u8]]) -> ! {
    for part in parts {
        // SAFETY: writing a live byte slice to fd 2; a short write only shortens the message.
        unsafe { write(2, part.as_ptr().cast(), part.len()) };
    }
    std::process::abort();
}
