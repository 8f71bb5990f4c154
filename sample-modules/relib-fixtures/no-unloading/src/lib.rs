//! relib's `no_unloading` and `panic_in_interface_{module,host}` test modules in one: exports and
//! imports without unloading (`…|0.7.0|0`). `Exports::panic` panics (success = 0);
//! `Exports::call_host_panic` calls the import `panic`, and a host that fails it (success = 0)
//! makes the module print relib's "host panicked while executing import" line and abort.

use relib_abi::{RStr, RString};

relib_abi::compilation_info!();

mod imports {
    use relib_abi::{RStr, RString};

    relib_abi::imports! {
        trait Imports;
        fn panic();
        fn primitive_ret(p: i32) -> i32;
        fn ref_owned_ret(r: RStr<'_>) -> RString;
    }
}

relib_abi::export! {
    fn main() {
        println!("[module] hello world (no unloading)");
    }
}

relib_abi::exports! {
    trait Exports;

    fn panic() {
        panic!("expected panic");
    }

    fn call_host_panic() {
        unsafe { imports::panic() }
    }

    fn primitive_ret(p: i32) -> i32 {
        assert_eq!(p, i32::MIN);
        p
    }

    fn ref_owned_ret(r: RStr<'_>) -> RString {
        r.into()
    }

    fn call_imports() {
        let string = "1".repeat(100);
        unsafe {
            assert_eq!(imports::primitive_ret(i32::MIN), i32::MIN);
            assert_eq!(imports::ref_owned_ret(RStr::from(string.as_str())), *string);
        }
    }
}
