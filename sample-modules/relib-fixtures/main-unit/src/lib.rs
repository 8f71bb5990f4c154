//! relib's `exportify` test module: `main() -> ()`, no unloading (`…|0.7.0|0`).

relib_abi::compilation_info!();

relib_abi::export! {
    fn main() {
        println!("[module] default main");
    }
}
