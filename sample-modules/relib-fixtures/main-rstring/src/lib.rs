//! relib's `exportify,ret_heap_main` test module: `main() -> RString` is boxed; the host copies
//! "ret_heap_main" and frees the box through `__post__relib__main`. No unloading.

use relib_abi::RString;

relib_abi::compilation_info!();

relib_abi::export! {
    fn main() -> RString {
        println!("[module] ret_heap_main");
        "ret_heap_main".into()
    }
}
