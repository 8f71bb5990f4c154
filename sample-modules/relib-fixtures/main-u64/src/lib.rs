//! relib's `exportify,ret_primitive_main` test module: `main() -> u64` returns `u64::MAX` by value
//! (no `__post__relib__main`), no unloading.

relib_abi::compilation_info!();

relib_abi::export! {
    fn main() -> u64 {
        println!("[module] ret_primitive_main");
        u64::MAX
    }
}
