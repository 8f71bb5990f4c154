//! Panic capture. The module's own std gets a hook (each cdylib links its own std, so the hook is
//! this module's alone) that records every panic on every thread into a bounded queue. The hook
//! replaces std's default instead of chaining to it: the host reports the panic, and printing it to
//! stderr as well would show it twice.
//!
//! The host learns of a panic by reading `relib_sdk_panic_count` at its `dlsym` address after a
//! call (no FFI call), then fetches records with `relib_sdk_take_panic`.

use crate::abi::{RelibPanic, RelibStr};
use std::any::Any;
use std::backtrace::Backtrace;
use std::cell::Cell;
use std::collections::VecDeque;
use std::ffi::{c_char, c_int, c_void};
use std::panic::PanicHookInfo;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, Once};

/// How many untaken panics are kept; older ones are dropped (their sequence numbers show the gap).
pub const QUEUE_CAPACITY: usize = 16;
/// At most this many raw return addresses per panic.
pub const MAX_FRAMES: usize = 64;

/// Total panics recorded since the module was loaded. Read by the host at its symbol's address.
#[allow(non_upper_case_globals)]
#[unsafe(no_mangle)]
pub static relib_sdk_panic_count: AtomicU64 = AtomicU64::new(0);

/// A panic as the module keeps it until the host takes it.
#[derive(Debug, Clone)]
pub struct PanicRecord {
    pub sequence: u64,
    pub thread_id: u64,
    pub message: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub thread_name: String,
    pub entry: String,
    pub backtrace: String,
    pub frames: Vec<usize>,
}

impl PanicRecord {
    /// A view for the host; valid while `self` is alive and unmoved.
    fn to_c(&self) -> RelibPanic {
        RelibPanic {
            sequence: self.sequence,
            thread_id: self.thread_id,
            message: RelibStr::of(&self.message),
            file: RelibStr::of(&self.file),
            line: self.line,
            column: self.column,
            thread_name: RelibStr::of(&self.thread_name),
            entry: RelibStr::of(&self.entry),
            backtrace: RelibStr::of(&self.backtrace),
            frames: self.frames.as_ptr(),
            frame_count: self.frames.len(),
        }
    }
}

static QUEUE: Mutex<VecDeque<PanicRecord>> = Mutex::new(VecDeque::new());
/// The record the host's last `relib_sdk_take_panic` points into.
static TAKEN: Mutex<Option<PanicRecord>> = Mutex::new(None);
static HOOK: Once = Once::new();
/// Set from the host's `RAW_FRAMES_ONLY` flag at init.
static FORMAT_BACKTRACE: AtomicBool = AtomicBool::new(true);

pub fn set_format_backtrace(format: bool) {
    FORMAT_BACKTRACE.store(format, Ordering::Release);
}

thread_local! {
    // Const-initialized without destructors: touching them registers nothing with the
    // thread-exit machinery, so they cannot pin the module.
    static CURRENT_ENTRY: Cell<&'static str> = const { Cell::new("") };
    static LAST_RECORDED: Cell<u64> = const { Cell::new(0) };
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Installs the hook once per module. Called by `relib_sdk_init` and by every guarded entry point,
/// so a host that skips init still gets full records.
pub fn ensure_hook() {
    HOOK.call_once(|| {
        #[cfg(test)]
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            record_from_hook(info);
            // The SDK's own test harness still needs its failure messages.
            #[cfg(test)]
            previous(info);
        }));
    });
}

/// Runs `body` as the SDK entry point `entry`: panics are caught and recorded; `None` means it panicked.
pub fn guard<R>(entry: &'static str, body: impl FnOnce() -> R) -> Option<R> {
    ensure_hook();
    let outer = CURRENT_ENTRY.replace(entry);
    let before = LAST_RECORDED.get();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body));
    CURRENT_ENTRY.set(outer);
    match result {
        Ok(value) => Some(value),
        Err(payload) => {
            if LAST_RECORDED.get() == before {
                // Someone replaced the hook: record what the payload alone tells.
                record(PanicRecord {
                    message: payload_text(payload.as_ref()),
                    entry: entry.to_string(),
                    ..capture_context(false)
                });
            }
            drop_payload(payload);
            None
        }
    }
}

/// A payload's destructor may itself panic; that must not escape into the host.
fn drop_payload(payload: Box<dyn Any + Send>) {
    if let Err(again) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(payload))) {
        std::mem::forget(again);
    }
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "Box<dyn Any>".to_string()
    }
}

fn record_from_hook(info: &PanicHookInfo<'_>) {
    let (file, line, column) = info
        .location()
        .map(|l| (l.file().to_string(), l.line(), l.column()))
        .unwrap_or_default();
    record(PanicRecord {
        message: payload_text(info.payload()),
        file,
        line,
        column,
        entry: CURRENT_ENTRY.get().to_string(),
        ..capture_context(true)
    });
}

/// Thread identity and stacks of the current thread; message and location left empty.
fn capture_context(with_stacks: bool) -> PanicRecord {
    let (frames, backtrace) = if with_stacks {
        let text = if FORMAT_BACKTRACE.load(Ordering::Acquire) {
            Backtrace::force_capture().to_string()
        } else {
            String::new()
        };
        (return_addresses(), text)
    } else {
        (Vec::new(), String::new())
    };
    PanicRecord {
        sequence: 0,
        thread_id: thread_id(),
        message: String::new(),
        file: String::new(),
        line: 0,
        column: 0,
        thread_name: thread_name(),
        entry: String::new(),
        backtrace,
        frames,
    }
}

fn record(mut record: PanicRecord) {
    let mut queue = lock(&QUEUE);
    // Counting under the lock: once the host sees the new count, the record is in the queue.
    record.sequence = relib_sdk_panic_count.fetch_add(1, Ordering::AcqRel) + 1;
    LAST_RECORDED.set(record.sequence);
    if queue.len() == QUEUE_CAPACITY {
        queue.pop_front();
    }
    queue.push_back(record);
}

/// Moves the oldest queued panic to the taken slot and describes it; false when none is queued.
pub fn take(out: &mut RelibPanic) -> bool {
    let next = lock(&QUEUE).pop_front();
    let mut taken = lock(&TAKEN);
    *taken = next;
    match taken.as_ref() {
        Some(record) => {
            *out = record.to_c();
            true
        }
        None => {
            *out = RelibPanic::EMPTY;
            false
        }
    }
}

/// Frees the record the last `take` described.
pub fn free_taken() {
    lock(&TAKEN).take();
}

/// Drops every record the module still holds, so that the host's leak check at unload sees none.
pub fn clear() {
    // Replaced rather than cleared, so the queue's buffer goes too.
    *lock(&QUEUE) = VecDeque::new();
    free_taken();
}

#[repr(C)]
struct UnwindContext {
    _opaque: [u8; 0],
}

type UnwindTraceFn = extern "C" fn(ctx: *mut UnwindContext, arg: *mut c_void) -> c_int;

// libgcc_s, which std already links for unwinding.
#[link(name = "gcc_s")]
unsafe extern "C" {
    fn _Unwind_Backtrace(trace: UnwindTraceFn, arg: *mut c_void) -> c_int;
    fn _Unwind_GetIP(ctx: *mut UnwindContext) -> usize;
}

const URC_NO_REASON: c_int = 0;
const URC_END_OF_STACK: c_int = 5;

extern "C" fn collect_frame(ctx: *mut UnwindContext, arg: *mut c_void) -> c_int {
    // SAFETY: `arg` is the Vec passed by `return_addresses`, alive for the whole walk.
    let frames = unsafe { &mut *(arg as *mut Vec<usize>) };
    let ip = unsafe { _Unwind_GetIP(ctx) };
    if ip != 0 {
        frames.push(ip);
    }
    if frames.len() >= MAX_FRAMES {
        URC_END_OF_STACK
    } else {
        URC_NO_REASON
    }
}

fn return_addresses() -> Vec<usize> {
    let mut frames: Vec<usize> = Vec::with_capacity(MAX_FRAMES);
    // SAFETY: the callback only touches `frames`; the walk is synchronous.
    unsafe { _Unwind_Backtrace(collect_frame, &mut frames as *mut Vec<usize> as *mut c_void) };
    frames
}

unsafe extern "C" {
    fn pthread_self() -> usize;
    fn pthread_getname_np(thread: usize, name: *mut c_char, len: usize) -> c_int;
    fn gettid() -> i32;
}

/// The kernel's name for this thread. Read through pthread rather than `thread::current()`, which
/// on a host thread would create std thread state (and a TLS destructor) during unwinding.
pub fn thread_name() -> String {
    let mut buf = [0u8; 16];
    // SAFETY: the buffer is 16 bytes, the size glibc requires.
    let rc = unsafe { pthread_getname_np(pthread_self(), buf.as_mut_ptr() as *mut c_char, buf.len()) };
    if rc != 0 {
        return String::new();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

pub fn thread_id() -> u64 {
    // SAFETY: gettid has no preconditions.
    unsafe { gettid() as u64 }
}
