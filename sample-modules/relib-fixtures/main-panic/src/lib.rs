//! relib's `exportify,panic_main` test module: `main` panics, so the host reads success = 0 (relib's
//! `None`) after std printed the panic message. No unloading.

relib_abi::compilation_info!();

relib_abi::export! {
    fn main() {
        println!("[module] panic_main");
        panic!("expected panic");
    }
}
