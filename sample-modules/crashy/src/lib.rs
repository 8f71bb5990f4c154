//! Ways a plain module takes its host process down, for the worker-isolation tests and demos:
//! a segfault, an abort, a panic across `extern "C"` (which aborts), a busy loop and a deadlock.
//! Plus a little output, to show module output interleaved with the shell's.

use std::io::Write;
use std::sync::Mutex;

static LOCK: Mutex<()> = Mutex::new(());

/// Writes through a null pointer: SIGSEGV.
#[no_mangle]
pub extern "C" fn crash_null() -> u32 {
    unsafe { std::ptr::null_mut::<u32>().write_volatile(1) };
    0
}

/// `abort()`: SIGABRT, with no message.
#[no_mangle]
pub extern "C" fn crash_abort() {
    std::process::abort();
}

/// A panic cannot unwind out of an `extern "C"` function: Rust prints it and aborts.
#[no_mangle]
pub extern "C" fn panic_across_ffi(value: u32) -> u32 {
    if value > 0 {
        panic!("crashy refuses {value}");
    }
    value
}

/// Never returns.
#[no_mangle]
pub extern "C" fn spin_forever() {
    loop {
        std::hint::spin_loop();
    }
}

/// Takes a lock it already holds: std's futex mutex waits forever.
#[no_mangle]
pub extern "C" fn deadlock() {
    let _first = LOCK.lock();
    let _second = LOCK.lock();
}

/// One line on stdout and one on stderr.
#[no_mangle]
pub extern "C" fn say_hello() -> u32 {
    println!("hello from crashy on stdout");
    eprintln!("hello from crashy on stderr");
    2
}

/// Text with no newline at the end, flushed.
#[no_mangle]
pub extern "C" fn print_partial() {
    print!("no newline here");
    let _ = std::io::stdout().flush();
}
