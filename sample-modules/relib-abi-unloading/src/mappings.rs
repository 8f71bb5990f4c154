//! The `mmap64`/`munmap` hooks (RELIB-PROTOCOL.md §5 step 5, §6). std's backtrace code `mmap64`s
//! object files (the module's own `.so` among them) and keeps them for the life of the process; a
//! mapping of the module's file left behind keeps its path in `/proc/self/maps` after dlclose. Every
//! successful `mmap64` made by the module is recorded; `munmap` of the exact start address forgets
//! it; `misc_cleanup` unmaps the rest. std calls `mmap64`, not `mmap`, on linux-gnu.

use crate::state::unrecoverable;
use crate::sys::NextSymbol;
use std::ffi::{c_int, c_void};
use std::sync::{Mutex, MutexGuard};

type Mmap64 = unsafe extern "C" fn(*mut c_void, usize, c_int, c_int, c_int, i64) -> *mut c_void;
type Munmap = unsafe extern "C" fn(*mut c_void, usize) -> c_int;

const MAP_FAILED: usize = usize::MAX;

/// (start, length) of each live mapping.
static MAPPINGS: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());
static REAL_MMAP64: NextSymbol = NextSymbol::new(c"mmap64");
static REAL_MUNMAP: NextSymbol = NextSymbol::new(c"munmap");

fn lock() -> MutexGuard<'static, Vec<(usize, usize)>> {
    MAPPINGS.lock().unwrap_or_else(|_| unrecoverable("failed to lock MMAPS"))
}

#[unsafe(no_mangle)]
unsafe extern "C" fn mmap64(addr: *mut c_void, len: usize, prot: c_int, flags: c_int, fd: c_int, offset: i64) -> *mut c_void {
    let real: Mmap64 = std::mem::transmute(REAL_MMAP64.address());
    let mapped = real(addr, len, prot, flags, fd, offset);
    if mapped as usize != MAP_FAILED {
        lock().push((mapped as usize, len));
    }
    mapped
}

#[unsafe(no_mangle)]
unsafe extern "C" fn munmap(addr: *mut c_void, len: usize) -> c_int {
    {
        let mut mappings = lock();
        if let Some(at) = mappings.iter().position(|&(start, _)| start == addr as usize) {
            mappings.swap_remove(at);
        }
    }
    real_munmap(addr, len)
}

unsafe fn real_munmap(addr: *mut c_void, len: usize) -> c_int {
    let real: Munmap = std::mem::transmute(REAL_MUNMAP.address());
    real(addr, len)
}

/// Part of `misc_cleanup`: unmaps every recorded mapping.
pub fn unmap_recorded() {
    let mappings = std::mem::take(&mut *lock());
    for (start, len) in mappings {
        // SAFETY: the module mapped this range and has not unmapped it at this start address.
        if unsafe { real_munmap(start as *mut c_void, len) } != 0 {
            unrecoverable("libc::munmap failed");
        }
    }
}
