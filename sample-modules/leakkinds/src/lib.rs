//! Heap blocks a Rust module leaves in each of valgrind memcheck's leak kinds, for the leak scan's
//! tests and the side-by-side suite against valgrind. Every export returns a count, never a pointer.
use std::cell::RefCell;
use std::hint::black_box;
use std::io::Write;
use std::sync::Mutex;

static CACHE: Mutex<Vec<String>> = Mutex::new(Vec::new());
static INTERIOR: Mutex<usize> = Mutex::new(0);

thread_local! {
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// One line on stdout: std's stdout buffer (1 KiB, held by a static) is still reachable.
#[no_mangle]
pub extern "C" fn print_line() -> usize {
    println!("leakkinds: one line");
    std::io::stdout().flush().map(|_| 1).unwrap_or(0)
}

/// `n` Strings of `len` bytes kept in a static Vec: n + 1 blocks still reachable.
#[no_mangle]
pub extern "C" fn keep_strings(n: usize, len: usize) -> usize {
    let mut cache = CACHE.lock().unwrap();
    // No spare capacity: bytes never written could hold stale pointers (see the leak scan's notes).
    cache.reserve_exact(n);
    for _ in 0..n {
        cache.push("x".repeat(len));
    }
    cache.len()
}

/// A Vec of `n` boxes, forgotten: its buffer definitely lost, the boxes indirectly lost.
#[no_mangle]
pub extern "C" fn leak_boxes(n: usize) -> usize {
    let boxes: Vec<Box<[u64; 4]>> = (0..n).map(|i| Box::new([i as u64; 4])).collect();
    std::mem::forget(black_box(boxes));
    n
}

/// `n` blocks of `len` bytes nothing points at: definitely lost.
#[no_mangle]
pub extern "C" fn leak_buffers(n: usize, len: usize) -> usize {
    for _ in 0..n {
        std::mem::forget(black_box(vec![0x5au8; len]));
    }
    n
}

/// A block a static points into, 8 bytes past its start: possibly lost.
#[no_mangle]
pub extern "C" fn keep_interior(len: usize) -> usize {
    let buffer: &'static mut [u8] = Vec::leak(vec![0x5au8; len.max(16)]);
    *INTERIOR.lock().unwrap() = buffer.as_ptr() as usize + 8;
    1
}

/// A buffer of `len` bytes in this thread's thread-local: still reachable while the thread lives.
#[no_mangle]
pub extern "C" fn keep_scratch(len: usize) -> usize {
    SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        s.clear();
        s.resize(len, 0x5a);
        s.len()
    })
}
