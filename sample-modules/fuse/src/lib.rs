//! Module B of the cross-module backtrace sample: an SDK module whose `explode` panics a few
//! frames down when asked to. Its SDK wrapper catches the panic, so relay (module A), which
//! called it through a function pointer, returns normally and the shell reports the panic.

#[inline(never)]
fn light(value: u32) -> u32 {
    if value > 0 {
        panic!("fuse: exploded with {value}");
    }
    value
}

#[inline(never)]
fn burn(value: u32) -> u32 {
    std::hint::black_box(light(value))
}

relib_sdk::exports! {
    fn explode(value: u32) -> u32 { burn(value) }
}
