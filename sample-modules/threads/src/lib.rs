//! Starts named threads: sleepers that run until `stop_sleepers`, finishers that do some work and
//! exit. Handles are kept so the host can join them before unloading.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::thread::{self, JoinHandle};
use std::time::Duration;

static STOP: AtomicBool = AtomicBool::new(false);
static SLEEPERS: Mutex<Vec<JoinHandle<()>>> = Mutex::new(Vec::new());
static FINISHERS: Mutex<Vec<JoinHandle<u64>>> = Mutex::new(Vec::new());

/// A thread named `relib-sleeper` that parks until `stop_sleepers()`; returns once it runs, so a
/// `threads` right after sees it started (tid and name), not merely created.
#[no_mangle]
pub extern "C" fn spawn_sleeper() {
    STOP.store(false, Ordering::SeqCst);
    let (started, running) = std::sync::mpsc::channel();
    let handle = thread::Builder::new()
        .name("relib-sleeper".into())
        .spawn(move || {
            let _ = started.send(());
            while !STOP.load(Ordering::SeqCst) {
                thread::park_timeout(Duration::from_millis(10));
            }
        })
        .expect("spawn sleeper");
    let _ = running.recv();
    SLEEPERS.lock().unwrap().push(handle);
}

/// Stops and joins every sleeper; returns how many were joined.
#[no_mangle]
pub extern "C" fn stop_sleepers() -> u32 {
    STOP.store(true, Ordering::SeqCst);
    let handles: Vec<_> = SLEEPERS.lock().unwrap().drain(..).collect();
    let count = handles.len() as u32;
    for handle in handles {
        handle.thread().unpark();
        handle.join().expect("sleeper panicked");
    }
    count
}

/// A thread named `relib-finisher` that sums a vector, asks for its own name and exits.
#[no_mangle]
pub extern "C" fn spawn_finisher() {
    let handle = thread::Builder::new()
        .name("relib-finisher".into())
        .spawn(|| {
            let work: Vec<u64> = (0..1000).collect();
            let named = thread::current().name().map_or(0, str::len) as u64;
            work.iter().sum::<u64>() + named
        })
        .expect("spawn finisher");
    FINISHERS.lock().unwrap().push(handle);
}

/// Joins every finisher; returns how many were joined.
#[no_mangle]
pub extern "C" fn join_finished() -> u32 {
    let handles: Vec<_> = FINISHERS.lock().unwrap().drain(..).collect();
    let count = handles.len() as u32;
    for handle in handles {
        handle.join().expect("finisher panicked");
    }
    count
}

/// Threads started and not yet joined.
#[no_mangle]
pub extern "C" fn thread_count() -> u32 {
    (SLEEPERS.lock().unwrap().len() + FINISHERS.lock().unwrap().len()) as u32
}

/// A thread named `relib-panicker` that panics with `worker gave up on item N` (N = `item`) and
/// so ends; the export joins it and returns 1 when it panicked. The export itself returns normally:
/// only std's default hook says what happened, on the module's stderr.
#[no_mangle]
pub extern "C" fn panic_on_thread(item: u32) -> u32 {
    let handle = thread::Builder::new()
        .name("relib-panicker".into())
        .spawn(move || {
            if item < u32::MAX {
                panic!("worker gave up on item {item}");
            }
        })
        .expect("spawn panicker");
    u32::from(handle.join().is_err())
}

/// Prints lines that resemble std's panic header but are not in its exact format: never a panic.
#[no_mangle]
pub extern "C" fn print_panic_lookalikes() {
    eprintln!("thread 'relib-panicker' panicked at a bad moment");
    eprintln!("log: thread 'x' panicked at src/lib.rs:1:1:");
    eprintln!("thread 'relib-panicker' panicked at src/lib.rs:one:two:");
}
