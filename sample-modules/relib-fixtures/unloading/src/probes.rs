//! The fixture's probes beyond relib's test module: each leaves or makes something a relib host must
//! clean up or observe at unload.

use std::ffi::{c_int, c_void, CStr};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::thread::{self, JoinHandle};

extern "C" {
    fn dladdr(addr: *const c_void, info: *mut DlInfo) -> c_int;
    // Reach this module's own hooks (RTLD_DEEPBIND), as std's backtrace code does.
    fn mmap64(addr: *mut c_void, len: usize, prot: c_int, flags: c_int, fd: c_int, offset: i64) -> *mut c_void;
    fn pthread_key_create(key: *mut u32, dtor: Option<unsafe extern "C" fn(*mut c_void)>) -> c_int;
}

#[repr(C)]
struct DlInfo {
    dli_fname: *const std::ffi::c_char,
    dli_fbase: *mut c_void,
    dli_sname: *const std::ffi::c_char,
    dli_saddr: *mut c_void,
}

const PROT_READ: c_int = 1;
const MAP_PRIVATE: c_int = 2;

/// Maps the first page of this module's own file and forgets it, as std's backtrace code does with
/// the files it symbolizes; returns the mapping's address. Until `misc_cleanup` unmaps it, the
/// module's path stays in /proc/self/maps after dlclose.
pub fn map_own_file() -> usize {
    let mut info = DlInfo { dli_fname: std::ptr::null(), dli_fbase: std::ptr::null_mut(), dli_sname: std::ptr::null(), dli_saddr: std::ptr::null_mut() };
    // SAFETY: dladdr fills `info` for an address inside this module.
    let found = unsafe { dladdr(map_own_file as *const c_void, &mut info) };
    assert!(found != 0 && !info.dli_fname.is_null(), "dladdr found this module");
    // SAFETY: dladdr returns a NUL-terminated path owned by the dynamic linker.
    let path = std::ffi::OsStr::from_bytes(unsafe { CStr::from_ptr(info.dli_fname) }.to_bytes());
    let file = std::fs::File::open(path).expect("open this module's file");
    // SAFETY: a fresh read-only private mapping of an open file.
    let mapped = unsafe { mmap64(std::ptr::null_mut(), 4096, PROT_READ, MAP_PRIVATE, file.as_raw_fd(), 0) };
    assert!(mapped as usize != usize::MAX, "mmap64 of this module's file");
    mapped as usize
}

/// Creates a pthread key and never deletes it; returns its number.
pub fn create_pthread_key() -> u32 {
    let mut key = 0u32;
    // SAFETY: a writable key and no destructor.
    let result = unsafe { pthread_key_create(&mut key, None) };
    assert_eq!(result, 0, "pthread_key_create");
    key
}

/// Whether a std backtrace taken here names this crate's source: it makes std symbolize the module,
/// which maps the module's file and caches it for good (relib's backtrace_unloading scenario).
pub fn backtrace_names_this_file() -> bool {
    let backtrace = format!("{}", std::backtrace::Backtrace::force_capture());
    backtrace.contains("unloading/src/probes.rs")
}

/// Allocates `count` boxes, all live at once (so `count` distinct pointers reach the tracker's
/// cache, which flushes at 20 000), then frees them.
pub fn churn(count: usize) -> usize {
    let boxes: Vec<Box<u64>> = (0..count as u64).map(Box::new).collect();
    let total = boxes.len();
    drop(std::hint::black_box(boxes));
    total
}

static PARKED: Mutex<Option<JoinHandle<()>>> = Mutex::new(None);
static RELEASE: AtomicBool = AtomicBool::new(false);

/// One module thread that parks until `join_parked_thread`, then allocates before it exits (so a
/// host that locked the allocator first sees relib's "allocator was invoked" unrecoverable).
pub fn spawn_parked_thread() {
    RELEASE.store(false, Ordering::SeqCst);
    let handle = thread::spawn(|| {
        while !RELEASE.load(Ordering::SeqCst) {
            thread::park();
        }
        drop(std::hint::black_box(vec![0u8; 64]));
    });
    *PARKED.lock().unwrap() = Some(handle);
}

/// Releases and joins the parked thread; false if none was running.
pub fn join_parked_thread() -> bool {
    let Some(handle) = PARKED.lock().unwrap().take() else { return false };
    RELEASE.store(true, Ordering::SeqCst);
    handle.thread().unpark();
    handle.join().is_ok()
}
