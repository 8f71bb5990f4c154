//! Panics everywhere the SDK guards: in an export, in `main` (on request) and in `before_unload`.
//! Each is caught and queued; the module stays usable (`still_alive`).

use std::sync::atomic::{AtomicBool, Ordering};

static PANIC_IN_MAIN: AtomicBool = AtomicBool::new(true);

relib_sdk::main! { || {
    if PANIC_IN_MAIN.load(Ordering::Relaxed) {
        panic!("panicky: main panicked on purpose");
    }
} }

relib_sdk::before_unload! { || {
    let entries: Vec<u32> = Vec::new();
    let _ = entries[3];
} }

relib_sdk::exports! {
    fn divide(a: i32, b: i32) -> i32 {
        if b == 0 {
            panic!("panicky: divide({a}, 0)");
        }
        a / b
    }
    fn explode(message: &str) -> String { panic!("{message}") }
    fn still_alive() -> u32 { 7 }
    fn calm_main(calm: bool) { PANIC_IN_MAIN.store(!calm, Ordering::Relaxed) }
    fn panic_in_thread() -> u64 {
        let worker = std::thread::Builder::new()
            .name("panicky-worker".into())
            .spawn(|| panic!("panicky: worker thread panicked"))
            .expect("spawn");
        worker.join().is_err() as u64
    }
}
