//! The `pthread_key_create`/`pthread_key_delete` hooks (RELIB-PROTOCOL.md §5 step 5): keys the
//! module created and did not delete are deleted by `misc_cleanup`, without calling their
//! destructors (which live in the code about to be unmapped), as relib does.

use crate::state::unrecoverable;
use crate::sys::{NextSymbol, PthreadKey};
use std::ffi::{c_int, c_void};
use std::sync::{Mutex, MutexGuard};

type KeyDtor = Option<unsafe extern "C" fn(*mut c_void)>;
type KeyCreate = unsafe extern "C" fn(*mut PthreadKey, KeyDtor) -> c_int;
type KeyDelete = unsafe extern "C" fn(PthreadKey) -> c_int;

static KEYS: Mutex<Vec<PthreadKey>> = Mutex::new(Vec::new());
static REAL_KEY_CREATE: NextSymbol = NextSymbol::new(c"pthread_key_create");
static REAL_KEY_DELETE: NextSymbol = NextSymbol::new(c"pthread_key_delete");

fn lock() -> MutexGuard<'static, Vec<PthreadKey>> {
    KEYS.lock().unwrap_or_else(|_| unrecoverable("failed to lock pthread keys store"))
}

#[unsafe(no_mangle)]
unsafe extern "C" fn pthread_key_create(key: *mut PthreadKey, dtor: KeyDtor) -> c_int {
    let real: KeyCreate = std::mem::transmute(REAL_KEY_CREATE.address());
    let result = real(key, dtor);
    if result == 0 {
        lock().push(*key);
    }
    result
}

#[unsafe(no_mangle)]
unsafe extern "C" fn pthread_key_delete(key: PthreadKey) -> c_int {
    {
        let mut keys = lock();
        if let Some(at) = keys.iter().position(|&k| k == key) {
            keys.swap_remove(at);
        }
    }
    real_delete(key)
}

unsafe fn real_delete(key: PthreadKey) -> c_int {
    let real: KeyDelete = std::mem::transmute(REAL_KEY_DELETE.address());
    real(key)
}

/// Part of `misc_cleanup`: deletes every key the module still holds.
pub fn delete_recorded() {
    let keys = std::mem::take(&mut *lock());
    for key in keys {
        // SAFETY: the module created this key and has not deleted it.
        if unsafe { real_delete(key) } != 0 {
            unrecoverable("libc::pthread_key_delete failed");
        }
    }
}
