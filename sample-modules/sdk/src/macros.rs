//! The declaration macros. Each parameter list is walked one parameter at a time ("tt muncher"):
//! `&str` and `&[u8]` become two C arguments (pointer, then length); any other type `T` becomes one
//! argument of type `<T as FfiValue>::Raw`. The length argument's name (`__len`) is introduced by
//! the step that handles that parameter, and macro hygiene makes each step's `__len` distinct.

/// Declares exports: each `fn` becomes a `#[no_mangle] extern "C"` function of the same name whose
/// body runs under a panic guard, and its signature goes into section `.relib_exports`.
///
/// ```text
/// relib_sdk::exports! {
///     fn add(a: i32, b: i32) -> i32 { a + b }
///     fn greet(name: &str) -> String { format!("hello, {name}") }
/// }
/// ```
#[macro_export]
macro_rules! exports {
    ($($items:tt)*) => {
        $crate::__crate_record!();
        $crate::__exports_each! { $($items)* }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __exports_each {
    () => {};
    ($(#[$attr:meta])* $vis:vis fn main $($rest:tt)*) => {
        compile_error!("an export cannot be named `main`; use relib_sdk::main! for the module's main");
    };
    ($(#[$attr:meta])* $vis:vis fn before_unload $($rest:tt)*) => {
        compile_error!("an export cannot be named `before_unload`; use relib_sdk::before_unload!");
    };
    ($(#[$attr:meta])* $vis:vis fn $name:ident ($($params:tt)*) -> $ret:ty $body:block $($rest:tt)*) => {
        $crate::__export! { @param { [$(#[$attr])*] $name [$ret] $body }
            raw[] conv[] inner[] call[] sig[] check[] ; $($params)* }
        $crate::__exports_each! { $($rest)* }
    };
    ($(#[$attr:meta])* $vis:vis fn $name:ident ($($params:tt)*) $body:block $($rest:tt)*) => {
        $crate::__export! { @param { [$(#[$attr])*] $name [()] $body }
            raw[] conv[] inner[] call[] sig[] check[] ; $($params)* }
        $crate::__exports_each! { $($rest)* }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __export {
    (@param $head:tt raw[$($raw:tt)*] conv[$($conv:tt)*] inner[$($inner:tt)*] call[$($call:tt)*]
        sig[$($sig:expr,)*] check[$($check:tt)*] ; $p:ident : &str $(, $($rest:tt)*)?) => {
        $crate::__export! { @param $head
            raw[$($raw)* $p: *const u8, __len: usize,]
            conv[$($conv)* let $p: &str = unsafe { $crate::__private::str_arg($p, __len, stringify!($p)) };]
            inner[$($inner)* $p: &str,]
            call[$($call)* $p,]
            sig[$($sig,)* "&str",]
            check[$($check)*]
            ; $($($rest)*)? }
    };
    (@param $head:tt raw[$($raw:tt)*] conv[$($conv:tt)*] inner[$($inner:tt)*] call[$($call:tt)*]
        sig[$($sig:expr,)*] check[$($check:tt)*] ; $p:ident : &[u8] $(, $($rest:tt)*)?) => {
        $crate::__export! { @param $head
            raw[$($raw)* $p: *const u8, __len: usize,]
            conv[$($conv)* let $p: &[u8] = unsafe { $crate::__private::bytes_arg($p, __len) };]
            inner[$($inner)* $p: &[u8],]
            call[$($call)* $p,]
            sig[$($sig,)* "&[u8]",]
            check[$($check)*]
            ; $($($rest)*)? }
    };
    (@param $head:tt raw[$($raw:tt)*] conv[$($conv:tt)*] inner[$($inner:tt)*] call[$($call:tt)*]
        sig[$($sig:expr,)*] check[$($check:tt)*] ; $p:ident : $t:ty $(, $($rest:tt)*)?) => {
        $crate::__export! { @param $head
            raw[$($raw)* $p: <$t as $crate::FfiValue>::Raw,]
            conv[$($conv)* let $p: $t = unsafe { <$t as $crate::FfiValue>::from_raw($p) };]
            inner[$($inner)* $p: $t,]
            call[$($call)* $p,]
            sig[$($sig,)* stringify!($t),]
            check[$($check)* $crate::__check_type!($t, <$t as $crate::FfiValue>::SIG);]
            ; $($($rest)*)? }
    };
    (@param { [$($attr:tt)*] $name:ident [$ret:ty] $body:block }
        raw[$($raw:tt)*] conv[$($conv:tt)*] inner[$($inner:tt)*] call[$($call:tt)*]
        sig[$($sig:expr,)*] check[$($check:tt)*] ;) => {
        $($attr)*
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name($($raw)*) -> <$ret as $crate::FfiReturn>::Raw {
            fn __relib_body($($inner)*) -> $ret $body
            $crate::__private::call_export(stringify!($name), move || {
                $($conv)*
                __relib_body($($call)*)
            })
        }
        const _: () = {
            $($check)*
            $crate::__check_type!($ret, <$ret as $crate::FfiReturn>::SIG);
            const PARAMS: &[&str] = &[$($sig),*];
            const RET: &str = stringify!($ret);
            const LEN: usize = $crate::__private::entry_len(stringify!($name), PARAMS, RET);
            #[used]
            #[unsafe(link_section = ".relib_exports")]
            static ENTRY: [u8; LEN] = $crate::__private::entry::<LEN>(stringify!($name), PARAMS, RET);
        };
    };
}

/// Refuses at compile time a type written in a way the host cannot parse (an alias, say).
#[doc(hidden)]
#[macro_export]
macro_rules! __check_type {
    ($t:ty, $sig:expr) => {
        assert!(
            $crate::__private::type_text_matches(stringify!($t), $sig),
            concat!(
                "relib_sdk: write the type `",
                stringify!($t),
                "` as one of the supported types itself (not through an alias), so the host can read the signature"
            )
        );
    };
}

/// Records the module's package name and version for `relib_sdk_info` (every SDK macro does; the
/// first one found wins, and all carry the same text).
#[doc(hidden)]
#[macro_export]
macro_rules! __crate_record {
    () => {
        const _: () = {
            #[used]
            #[unsafe(link_section = "relib_sdk_registry")]
            static CRATE: $crate::__private::RegistryEntry =
                $crate::__private::RegistryEntry::crate_name(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
        };
    };
}

/// The module's `main`, run by the host right after load (`relib_sdk_main`, manifest entry `main()`).
/// The body may return `()` or `Result<(), E: Display>`.
///
/// ```text
/// relib_sdk::main! { || { relib_sdk::host_log(relib_sdk::level::INFO, "hello"); } }
/// ```
#[macro_export]
macro_rules! main {
    (move || $($body:tt)*) => { $crate::__entry!(relib_sdk_main, "main", b"main()\0", move || $($body)*); };
    (|| $($body:tt)*) => { $crate::__entry!(relib_sdk_main, "main", b"main()\0", || $($body)*); };
    ($($body:tt)*) => { $crate::__entry!(relib_sdk_main, "main", b"main()\0", || { $($body)* }); };
}

/// Run by the host before it unloads the module (`relib_sdk_before_unload`, manifest entry
/// `before_unload()`): stop threads, flush, release what the module holds.
#[macro_export]
macro_rules! before_unload {
    (move || $($body:tt)*) => {
        $crate::__entry!(relib_sdk_before_unload, "before_unload", b"before_unload()\0", move || $($body)*);
    };
    (|| $($body:tt)*) => {
        $crate::__entry!(relib_sdk_before_unload, "before_unload", b"before_unload()\0", || $($body)*);
    };
    ($($body:tt)*) => {
        $crate::__entry!(relib_sdk_before_unload, "before_unload", b"before_unload()\0", || { $($body)* });
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __entry {
    ($symbol:ident, $name:literal, $manifest:literal, $body:expr) => {
        /// Status: 0 ok, 1 panicked (queued for `relib_sdk_take_panic`), 2 returned `Err` (logged).
        #[unsafe(no_mangle)]
        pub extern "C" fn $symbol() -> i32 {
            $crate::__private::call_entry($name, $body)
        }
        const _: () = {
            #[used]
            #[unsafe(link_section = ".relib_exports")]
            static ENTRY: [u8; $manifest.len()] = *$manifest;
        };
        $crate::__crate_record!();
    };
}

/// Declares functions the module needs from the host. Each becomes a Rust function of that name
/// that calls the host's implementation, bound by `relib_sdk_init`; the signature goes into section
/// `.relib_imports`. Parameters: the export parameter types; returns: `()` or a by-value type.
///
/// ```text
/// relib_sdk::imports! {
///     fn log(level: u32, msg: &str);
///     fn now_ns() -> u64;
/// }
/// ```
#[macro_export]
macro_rules! imports {
    ($($items:tt)*) => {
        $crate::__crate_record!();
        $crate::__imports_each! { $($items)* }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __imports_each {
    () => {};
    ($(#[$attr:meta])* $vis:vis fn $name:ident ($($params:tt)*) -> $ret:ty ; $($rest:tt)*) => {
        $crate::__import! { @param { [$(#[$attr])*] [$vis] $name [$ret] }
            raw[] args[] outer[] sig[] check[] ; $($params)* }
        $crate::__imports_each! { $($rest)* }
    };
    ($(#[$attr:meta])* $vis:vis fn $name:ident ($($params:tt)*) ; $($rest:tt)*) => {
        $crate::__import! { @param { [$(#[$attr])*] [$vis] $name [()] }
            raw[] args[] outer[] sig[] check[] ; $($params)* }
        $crate::__imports_each! { $($rest)* }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __import {
    (@param $head:tt raw[$($raw:tt)*] args[$($args:tt)*] outer[$($outer:tt)*] sig[$($sig:expr,)*]
        check[$($check:tt)*] ; $p:ident : &str $(, $($rest:tt)*)?) => {
        $crate::__import! { @param $head
            raw[$($raw)* *const u8, usize,]
            args[$($args)* $p.as_ptr(), $p.len(),]
            outer[$($outer)* $p: &str,]
            sig[$($sig,)* "&str",]
            check[$($check)*]
            ; $($($rest)*)? }
    };
    (@param $head:tt raw[$($raw:tt)*] args[$($args:tt)*] outer[$($outer:tt)*] sig[$($sig:expr,)*]
        check[$($check:tt)*] ; $p:ident : &[u8] $(, $($rest:tt)*)?) => {
        $crate::__import! { @param $head
            raw[$($raw)* *const u8, usize,]
            args[$($args)* $p.as_ptr(), $p.len(),]
            outer[$($outer)* $p: &[u8],]
            sig[$($sig,)* "&[u8]",]
            check[$($check)*]
            ; $($($rest)*)? }
    };
    (@param $head:tt raw[$($raw:tt)*] args[$($args:tt)*] outer[$($outer:tt)*] sig[$($sig:expr,)*]
        check[$($check:tt)*] ; $p:ident : $t:ty $(, $($rest:tt)*)?) => {
        $crate::__import! { @param $head
            raw[$($raw)* <$t as $crate::FfiValue>::Raw,]
            args[$($args)* $crate::FfiValue::into_raw($p),]
            outer[$($outer)* $p: $t,]
            sig[$($sig,)* stringify!($t),]
            check[$($check)* $crate::__check_type!($t, <$t as $crate::FfiValue>::SIG);]
            ; $($($rest)*)? }
    };
    (@param { [$($attr:tt)*] [$vis:vis] $name:ident [$ret:ty] }
        raw[$($raw:tt)*] args[$($args:tt)*] outer[$($outer:tt)*] sig[$($sig:expr,)*]
        check[$($check:tt)*] ;) => {
        $($attr)*
        $vis fn $name($($outer)*) -> $ret {
            const PARAMS: &[&str] = &[$($sig),*];
            const RET: &str = stringify!($ret);
            const LEN: usize = $crate::__private::entry_len(stringify!($name), PARAMS, RET);
            const BYTES: [u8; LEN] = $crate::__private::entry::<LEN>(stringify!($name), PARAMS, RET);
            const SIGNATURE: &str = $crate::__private::entry_text(&BYTES);
            const _: () = {
                $($check)*
                $crate::__check_type!($ret, <$ret as $crate::ImportReturn>::SIG);
            };
            #[used]
            #[unsafe(link_section = ".relib_imports")]
            static ENTRY: [u8; LEN] = BYTES;
            static SLOT: $crate::__private::ImportSlot = $crate::__private::ImportSlot::new();
            #[used]
            #[unsafe(link_section = "relib_sdk_registry")]
            static REGISTRATION: $crate::__private::RegistryEntry =
                $crate::__private::RegistryEntry::import(stringify!($name), SIGNATURE, &SLOT);

            type HostFn = unsafe extern "C" fn($($raw)*) -> <$ret as $crate::ImportReturn>::Raw;
            // SAFETY: the host bound this slot to a function of exactly this signature.
            let host: HostFn = unsafe { ::std::mem::transmute::<*mut ::std::ffi::c_void, HostFn>(SLOT.get(SIGNATURE)) };
            let raw = unsafe { host($($args)*) };
            $crate::__private::check_import(SIGNATURE);
            unsafe { <$ret as $crate::ImportReturn>::from_raw(raw) }
        }
    };
}
