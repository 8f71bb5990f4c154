//! Module A of the cross-module backtrace sample: a plain module that calls whatever function
//! pointer the host hands it. `call relay.run_callback(*const u8, u32) -> u32 &fuse.explode 3`
//! runs fuse's `explode` from inside relay, so a panic there has frames in both modules.

type Callback = extern "C" fn(u32) -> u32;

/// Calls `callback(value)` through one more frame of its own and adds one.
#[no_mangle]
pub extern "C" fn run_callback(callback: Option<Callback>, value: u32) -> u32 {
    match callback {
        Some(callback) => relay_through(callback, value).wrapping_add(1),
        None => 0,
    }
}

#[inline(never)]
fn relay_through(callback: Callback, value: u32) -> u32 {
    std::hint::black_box(callback)(value)
}
