//! dymod's example module: a plain `extern "C"` function returning `&'static str`, which the
//! x86-64 SysV ABI hands back as a (pointer, length) pair in two registers.

#[allow(improper_ctypes_definitions)]
#[no_mangle]
pub extern "C" fn count_sheep(sheep: u32) -> &'static str {
    match sheep {
        0 => "None",
        1 => "One",
        2 => "Two",
        _ => "Many",
    }
}
