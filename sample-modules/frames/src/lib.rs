//! Frames the symbolizer must name as the user wrote them: allocations behind std's generic code
//! (`vec!`, `Box::new`, `format!`, a `HashMap`), helpers that release builds inline, a fault two
//! inlined levels down, and a thread whose start routine is a closure. Built twice by the Maven
//! build: debug (the workspace) and release with v0 symbol mangling (target/release), both with
//! full debug info. Tests find lines by their text, never by number.
use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Mutex;
use std::thread::JoinHandle;

static KEPT: Mutex<Vec<Box<dyn Send>>> = Mutex::new(Vec::new());
static WORKERS: Mutex<Vec<JoinHandle<u64>>> = Mutex::new(Vec::new());

fn keep<T: Send + 'static>(value: T) {
    KEPT.lock().unwrap().push(Box::new(value));
}

/// `vec![7u8; 4096]`, kept: its site is this line, not std's from_elem.
#[no_mangle]
pub extern "C" fn site_vec() -> usize {
    let v = vec![7u8; 4096]; // frames: site_vec allocates
    let len = v.len();
    std::mem::forget(black_box(v));
    len
}

/// `Box::new` of a u64, leaked.
#[no_mangle]
pub extern "C" fn site_box() -> usize {
    let b = Box::new(black_box(42u64)); // frames: site_box allocates
    std::mem::forget(black_box(b));
    8
}

/// `format!`, leaked.
#[no_mangle]
pub extern "C" fn site_format(n: u32) -> usize {
    let s = format!("formatted {n} for the site rule"); // frames: site_format allocates
    let len = s.len();
    std::mem::forget(s);
    len
}

/// A HashMap insert (hashbrown's table allocation), leaked.
#[no_mangle]
pub extern "C" fn site_map(n: u32) -> usize {
    let mut map = HashMap::new();
    for i in 0..n {
        map.insert(i, i * 2); // frames: site_map allocates
    }
    let len = map.len();
    std::mem::forget(map);
    len
}

#[inline(always)]
fn fill(len: usize) -> Vec<u32> {
    (0..len as u32).map(|i| i * 3).collect() // frames: fill allocates
}

#[inline(always)]
fn prepare(len: usize) -> Vec<u32> {
    let mut v = fill(len); // frames: prepare calls fill
    v.push(1);
    v
}

/// An allocation two inlined levels down (in release builds): kept until `release_kept`.
#[no_mangle]
pub extern "C" fn site_inlined(len: usize) -> usize {
    let v = prepare(len); // frames: site_inlined calls prepare
    let n = v.len();
    keep(v);
    n
}

/// Frees what the exports kept; returns how many values.
#[no_mangle]
pub extern "C" fn release_kept() -> usize {
    let mut kept = KEPT.lock().unwrap();
    let n = kept.len();
    kept.clear();
    n
}

#[inline(always)]
fn store(target: *mut u32, value: u32) {
    unsafe { target.write_volatile(value) } // frames: store faults
}

#[inline(always)]
fn poke(target: *mut u32, value: u32) {
    store(target, value.wrapping_mul(2)); // frames: poke calls store
}

/// Writes through a null pointer two inlined levels down: SIGSEGV.
#[no_mangle]
pub extern "C" fn crash_inlined(value: u32) -> u32 {
    poke(black_box(std::ptr::null_mut()), value); // frames: crash_inlined calls poke
    value
}

/// A panic across `extern "C"`: Rust aborts the process (SIGABRT).
#[no_mangle]
pub extern "C" fn panic_inlined(value: u32) -> u32 {
    if black_box(value) > 0 {
        panic!("frames refuses {value}"); // frames: panic_inlined panics
    }
    value
}

#[inline(never)]
fn work(n: u64) -> u64 {
    (0..n).map(black_box).sum() // frames: work runs on the thread
}

/// A thread whose closure calls `work`; joined by `join_workers`.
#[no_mangle]
pub extern "C" fn spawn_worker(n: u64) {
    let handle = std::thread::Builder::new()
        .name("frames-worker".into())
        .spawn(move || work(n)) // frames: spawn_worker's closure
        .expect("spawn");
    WORKERS.lock().unwrap().push(handle);
}

/// Joins the workers; returns how many.
#[no_mangle]
pub extern "C" fn join_workers() -> usize {
    let handles: Vec<_> = WORKERS.lock().unwrap().drain(..).collect();
    let n = handles.len();
    for handle in handles {
        black_box(handle.join().expect("worker panicked"));
    }
    n
}

#[inline(never)]
fn through(callback: extern "C" fn(u32) -> u32, value: u32) -> u32 {
    black_box(callback)(value).wrapping_add(1)
}

/// Calls back into the host through a frame of its own, so a stack walk there passes module code.
#[no_mangle]
pub extern "C" fn call_back(callback: extern "C" fn(u32) -> u32, value: u32) -> u32 {
    through(callback, value).wrapping_add(1)
}
