//! Uses two built-in imports (`log`, `now_ns`) and one the user defines in the shell:
//! `import stub answer() -> u8 = 42`. Without it, the load fails listing `answer() -> u8`.

relib_sdk::imports! {
    fn log(level: u32, msg: &str);
    fn now_ns() -> u64;
    fn answer() -> u8;
}

relib_sdk::main! { || {
    log(relib_sdk::level::INFO, "imports: main ran");
} }

relib_sdk::exports! {
    fn ask() -> u32 {
        let answer = answer();
        log(relib_sdk::level::INFO, &format!("imports: the host answered {answer}"));
        answer as u32 * 2
    }
    fn elapsed_ns(spins: u32) -> u64 {
        let start = now_ns();
        let mut x = 0u64;
        for i in 0..spins {
            x = std::hint::black_box(x.wrapping_add(i as u64));
        }
        now_ns().saturating_sub(start)
    }
    fn shout(text: &str) { log(relib_sdk::level::WARN, &text.to_uppercase()) }
}
