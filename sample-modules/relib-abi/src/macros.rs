//! The export and import macros (RELIB-PROTOCOL.md §2), written with `macro_rules!` because the
//! fixtures may only use std (relib generates the same items with a proc-macro and a build script).
//!
//! Each function is parsed one item at a time; its return type is taken as tokens (up to the body
//! for exports, up to the `;` for imports) and classified by their text, which is relib's boxing rule:
//! `()`, `bool`, the integer and float types, `char`, `u128`/`i128`, and anything that starts with
//! `*` or `&` are returned by value; any other type is returned as `*mut R` (a `Box<R>`) and gets a
//! `__post__` partner.

/// Declares the exports of a relib interface trait. Each `fn f` becomes
/// `extern "C" MaybeUninit<Ret> __relib__{Trait}_f(bool* success, args…)` whose body runs under
/// `catch_unwind`; a boxed return also exports `void __post__relib__{Trait}_f(R*)`.
///
/// ```text
/// relib_abi::exports! {
///     trait Exports;
///     fn primitive_ret(p: i32) -> i32 { p }
///     fn ref_owned_ret(r: RStr<'_>) -> RString { r.into() }
/// }
/// ```
#[macro_export]
macro_rules! exports {
    (trait $trait:ident; $($items:tt)*) => {
        $crate::__relib_exports_each! { [concat!(stringify!($trait), "_")] $($items)* }
    };
}

/// Exports free functions the way `#[relib_module::export]` does: `fn main` becomes `__relib__main`
/// (plus `__post__relib__main` when its return is boxed), `fn before_unload` `__relib__before_unload`.
#[macro_export]
macro_rules! export {
    ($($items:tt)*) => {
        $crate::__relib_exports_each! { [""] $($items)* }
    };
}

/// Splits the items; each rule matches one return-type length (0 to 12 tokens), so that every
/// item expands next to the rest instead of inside it (a token muncher would nest the whole list
/// and hit the recursion limit).
#[doc(hidden)]
#[macro_export]
macro_rules! __relib_exports_each {
    ([$prefix:expr]) => {};
    ([$prefix:expr] $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?)
        { $($body:tt)* } $($rest:tt)*) => {
        $crate::__relib_classify! { [()] __relib_export_emit { [$prefix] [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [()] { $($body)* } } }
        $crate::__relib_exports_each! { [$prefix] $($rest)* }
    };
    ([$prefix:expr] $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?)
        -> $r1:tt { $($body:tt)* } $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1] __relib_export_emit { [$prefix] [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1] { $($body)* } } }
        $crate::__relib_exports_each! { [$prefix] $($rest)* }
    };
    ([$prefix:expr] $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?)
        -> $r1:tt $r2:tt { $($body:tt)* } $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2] __relib_export_emit { [$prefix] [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2] { $($body)* } } }
        $crate::__relib_exports_each! { [$prefix] $($rest)* }
    };
    ([$prefix:expr] $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?)
        -> $r1:tt $r2:tt $r3:tt { $($body:tt)* } $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3] __relib_export_emit { [$prefix] [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3] { $($body)* } } }
        $crate::__relib_exports_each! { [$prefix] $($rest)* }
    };
    ([$prefix:expr] $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?)
        -> $r1:tt $r2:tt $r3:tt $r4:tt { $($body:tt)* } $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4] __relib_export_emit { [$prefix] [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4] { $($body)* } } }
        $crate::__relib_exports_each! { [$prefix] $($rest)* }
    };
    ([$prefix:expr] $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?)
        -> $r1:tt $r2:tt $r3:tt $r4:tt $r5:tt { $($body:tt)* } $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4 $r5] __relib_export_emit { [$prefix] [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4 $r5] { $($body)* } } }
        $crate::__relib_exports_each! { [$prefix] $($rest)* }
    };
    ([$prefix:expr] $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?)
        -> $r1:tt $r2:tt $r3:tt $r4:tt $r5:tt $r6:tt { $($body:tt)* } $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4 $r5 $r6] __relib_export_emit { [$prefix] [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4 $r5 $r6] { $($body)* } } }
        $crate::__relib_exports_each! { [$prefix] $($rest)* }
    };
    ([$prefix:expr] $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?)
        -> $r1:tt $r2:tt $r3:tt $r4:tt $r5:tt $r6:tt $r7:tt { $($body:tt)* } $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4 $r5 $r6 $r7] __relib_export_emit { [$prefix] [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4 $r5 $r6 $r7] { $($body)* } } }
        $crate::__relib_exports_each! { [$prefix] $($rest)* }
    };
    ([$prefix:expr] $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?)
        -> $r1:tt $r2:tt $r3:tt $r4:tt $r5:tt $r6:tt $r7:tt $r8:tt { $($body:tt)* } $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8] __relib_export_emit { [$prefix] [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8] { $($body)* } } }
        $crate::__relib_exports_each! { [$prefix] $($rest)* }
    };
    ([$prefix:expr] $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?)
        -> $r1:tt $r2:tt $r3:tt $r4:tt $r5:tt $r6:tt $r7:tt $r8:tt $r9:tt { $($body:tt)* } $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8 $r9] __relib_export_emit { [$prefix] [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8 $r9] { $($body)* } } }
        $crate::__relib_exports_each! { [$prefix] $($rest)* }
    };
    ([$prefix:expr] $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?)
        -> $r1:tt $r2:tt $r3:tt $r4:tt $r5:tt $r6:tt $r7:tt $r8:tt $r9:tt $r10:tt { $($body:tt)* } $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8 $r9 $r10] __relib_export_emit { [$prefix] [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8 $r9 $r10] { $($body)* } } }
        $crate::__relib_exports_each! { [$prefix] $($rest)* }
    };
    ([$prefix:expr] $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?)
        -> $r1:tt $r2:tt $r3:tt $r4:tt $r5:tt $r6:tt $r7:tt $r8:tt $r9:tt $r10:tt $r11:tt { $($body:tt)* } $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8 $r9 $r10 $r11] __relib_export_emit { [$prefix] [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8 $r9 $r10 $r11] { $($body)* } } }
        $crate::__relib_exports_each! { [$prefix] $($rest)* }
    };
    ([$prefix:expr] $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?)
        -> $r1:tt $r2:tt $r3:tt $r4:tt $r5:tt $r6:tt $r7:tt $r8:tt $r9:tt $r10:tt $r11:tt $r12:tt { $($body:tt)* } $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8 $r9 $r10 $r11 $r12] __relib_export_emit { [$prefix] [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8 $r9 $r10 $r11 $r12] { $($body)* } } }
        $crate::__relib_exports_each! { [$prefix] $($rest)* }
    };
    ([$prefix:expr] $(#[$attr:meta])* fn $name:ident $($rest:tt)*) => {
        compile_error!(concat!("relib_abi::exports!: cannot read `fn ", stringify!($name),
            "`: parameters are `name: Type`, and a return type has at most 12 tokens (use a type alias)"));
    };
}

/// relib's boxing rule on the return type's tokens; calls `$callback! { plain|boxed $args }`.
#[doc(hidden)]
#[macro_export]
macro_rules! __relib_classify {
    ([()] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([bool] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([u8] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([i8] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([u16] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([i16] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([u32] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([i32] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([u64] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([i64] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([usize] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([isize] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([f32] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([f64] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([char] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([u128] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([i128] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([* $($t:tt)*] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([& $($t:tt)*] $callback:ident $args:tt) => { $crate::$callback! { plain $args } };
    ([$($t:tt)*] $callback:ident $args:tt) => { $crate::$callback! { boxed $args } };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __relib_export_emit {
    (plain { [$prefix:expr] [$($attr:tt)*] $name:ident [$($lt:lifetime),*] [$($p:ident : $t:ty),*] [$ret:ty]
        { $($body:tt)* } }) => {
        const _: () = {
            $($attr)*
            #[unsafe(export_name = concat!("__relib__", $prefix, stringify!($name)))]
            extern "C" fn $name<$($lt),*>(success: *mut bool, $($p: $t),*) -> ::std::mem::MaybeUninit<$ret> {
                fn body<$($lt),*>($($p: $t),*) -> $ret { $($body)* }
                // SAFETY: the host passes a writable bool (relib's call convention).
                unsafe { $crate::__private::run_export(success, move || body($($p),*)) }
            }
        };
    };
    (boxed { [$prefix:expr] [$($attr:tt)*] $name:ident [$($lt:lifetime),*] [$($p:ident : $t:ty),*] [$ret:ty]
        { $($body:tt)* } }) => {
        const _: () = {
            $($attr)*
            #[unsafe(export_name = concat!("__relib__", $prefix, stringify!($name)))]
            extern "C" fn $name<$($lt),*>(success: *mut bool, $($p: $t),*)
                -> ::std::mem::MaybeUninit<*mut $ret> {
                fn body<$($lt),*>($($p: $t),*) -> $ret { $($body)* }
                // SAFETY: as for unboxed exports.
                unsafe {
                    $crate::__private::run_export(success, move || {
                        ::std::boxed::Box::into_raw(::std::boxed::Box::new(body($($p),*)))
                    })
                }
            }

            #[unsafe(export_name = concat!("__post__relib__", $prefix, stringify!($name)))]
            extern "C" fn post<$($lt),*>(value: *mut $ret) {
                // SAFETY: the host hands back the pointer the export returned, once.
                drop(unsafe { ::std::boxed::Box::from_raw(value) });
            }
        };
    };
}

/// Declares a relib interface's imports: for each `fn f` a writable exported slot
/// `__relib__{Trait}_f` holding `MaybeUninit<Ret> (*)(bool* success, args…)` (and
/// `__post__relib__{Trait}_f` holding `void (*)(R*)` for boxed returns), plus `pub unsafe fn f` that
/// calls the slot: a 0 success flag prints relib's "host panicked while executing import" line and
/// aborts; a boxed return is cloned into this module, then the post slot frees the host's copy.
///
/// ```text
/// relib_abi::imports! {
///     trait Imports;
///     fn primitive_ret(p: i32) -> i32;
///     fn ref_owned_ret(r: RStr<'_>) -> RString;
/// }
/// ```
#[macro_export]
macro_rules! imports {
    (trait $trait:ident; $($items:tt)*) => {
        $crate::__relib_imports_each! { $trait $($items)* }
    };
}

/// As `__relib_exports_each`, for imports (items end with `;`).
#[doc(hidden)]
#[macro_export]
macro_rules! __relib_imports_each {
    ($trait:ident) => {};
    ($trait:ident $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?); $($rest:tt)*) => {
        $crate::__relib_classify! { [()] __relib_import_emit { $trait [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [()] } }
        $crate::__relib_imports_each! { $trait $($rest)* }
    };
    ($trait:ident $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?) -> $r1:tt; $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1] __relib_import_emit { $trait [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1] } }
        $crate::__relib_imports_each! { $trait $($rest)* }
    };
    ($trait:ident $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?) -> $r1:tt $r2:tt; $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2] __relib_import_emit { $trait [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2] } }
        $crate::__relib_imports_each! { $trait $($rest)* }
    };
    ($trait:ident $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?) -> $r1:tt $r2:tt $r3:tt; $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3] __relib_import_emit { $trait [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3] } }
        $crate::__relib_imports_each! { $trait $($rest)* }
    };
    ($trait:ident $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?) -> $r1:tt $r2:tt $r3:tt $r4:tt; $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4] __relib_import_emit { $trait [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4] } }
        $crate::__relib_imports_each! { $trait $($rest)* }
    };
    ($trait:ident $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?) -> $r1:tt $r2:tt $r3:tt $r4:tt $r5:tt; $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4 $r5] __relib_import_emit { $trait [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4 $r5] } }
        $crate::__relib_imports_each! { $trait $($rest)* }
    };
    ($trait:ident $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?) -> $r1:tt $r2:tt $r3:tt $r4:tt $r5:tt $r6:tt; $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4 $r5 $r6] __relib_import_emit { $trait [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4 $r5 $r6] } }
        $crate::__relib_imports_each! { $trait $($rest)* }
    };
    ($trait:ident $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?) -> $r1:tt $r2:tt $r3:tt $r4:tt $r5:tt $r6:tt $r7:tt; $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4 $r5 $r6 $r7] __relib_import_emit { $trait [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4 $r5 $r6 $r7] } }
        $crate::__relib_imports_each! { $trait $($rest)* }
    };
    ($trait:ident $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?) -> $r1:tt $r2:tt $r3:tt $r4:tt $r5:tt $r6:tt $r7:tt $r8:tt; $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8] __relib_import_emit { $trait [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8] } }
        $crate::__relib_imports_each! { $trait $($rest)* }
    };
    ($trait:ident $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?) -> $r1:tt $r2:tt $r3:tt $r4:tt $r5:tt $r6:tt $r7:tt $r8:tt $r9:tt; $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8 $r9] __relib_import_emit { $trait [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8 $r9] } }
        $crate::__relib_imports_each! { $trait $($rest)* }
    };
    ($trait:ident $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?) -> $r1:tt $r2:tt $r3:tt $r4:tt $r5:tt $r6:tt $r7:tt $r8:tt $r9:tt $r10:tt; $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8 $r9 $r10] __relib_import_emit { $trait [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8 $r9 $r10] } }
        $crate::__relib_imports_each! { $trait $($rest)* }
    };
    ($trait:ident $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?) -> $r1:tt $r2:tt $r3:tt $r4:tt $r5:tt $r6:tt $r7:tt $r8:tt $r9:tt $r10:tt $r11:tt; $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8 $r9 $r10 $r11] __relib_import_emit { $trait [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8 $r9 $r10 $r11] } }
        $crate::__relib_imports_each! { $trait $($rest)* }
    };
    ($trait:ident $(#[$attr:meta])* fn $name:ident $(<$($lt:lifetime),+>)? ($($p:ident : $t:ty),* $(,)?) -> $r1:tt $r2:tt $r3:tt $r4:tt $r5:tt $r6:tt $r7:tt $r8:tt $r9:tt $r10:tt $r11:tt $r12:tt; $($rest:tt)*) => {
        $crate::__relib_classify! { [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8 $r9 $r10 $r11 $r12] __relib_import_emit { $trait [$(#[$attr])*] $name [$($($lt),+)?] [$($p : $t),*] [$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8 $r9 $r10 $r11 $r12] } }
        $crate::__relib_imports_each! { $trait $($rest)* }
    };
    ($trait:ident $(#[$attr:meta])* fn $name:ident $($rest:tt)*) => {
        compile_error!(concat!("relib_abi::imports!: cannot read `fn ", stringify!($name),
            "`: parameters are `name: Type`, and a return type has at most 12 tokens (use a type alias)"));
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __relib_import_emit {
    (plain { $trait:ident [$($attr:tt)*] $name:ident [$($lt:lifetime),*] [$($p:ident : $t:ty),*] [$ret:ty] }) => {
        $($attr)*
        /// # Safety
        /// The host must have bound this import with a function of this signature.
        pub unsafe fn $name<$($lt),*>($($p: $t),*) -> $ret {
            #[unsafe(export_name = concat!("__relib__", stringify!($trait), "_", stringify!($name)))]
            static mut SLOT: for<$($lt),*> extern "C" fn(*mut bool, $($t),*) -> ::std::mem::MaybeUninit<$ret> = unbound;

            extern "C" fn unbound<$($lt),*>(_: *mut bool, $(_: $t),*) -> ::std::mem::MaybeUninit<$ret> {
                $crate::__private::unbound_import(concat!("__relib__", stringify!($trait), "_", stringify!($name)))
            }

            let mut success = false;
            // SAFETY: the host writes the slot before module code runs (relib's load order).
            let slot = unsafe { ::std::ptr::read_volatile(&raw const SLOT) };
            let value = slot(&mut success, $($p),*);
            $crate::__private::check_import(success, stringify!($name));
            // SAFETY: success = 1 means the host initialised the value.
            unsafe { value.assume_init() }
        }
    };
    (boxed { $trait:ident [$($attr:tt)*] $name:ident [$($lt:lifetime),*] [$($p:ident : $t:ty),*] [$ret:ty] }) => {
        $($attr)*
        /// # Safety
        /// The host must have bound this import and its post slot with functions of these signatures.
        pub unsafe fn $name<$($lt),*>($($p: $t),*) -> $ret {
            #[unsafe(export_name = concat!("__relib__", stringify!($trait), "_", stringify!($name)))]
            static mut SLOT: for<$($lt),*> extern "C" fn(*mut bool, $($t),*) -> ::std::mem::MaybeUninit<*mut $ret> = unbound;

            #[unsafe(export_name = concat!("__post__relib__", stringify!($trait), "_", stringify!($name)))]
            static mut POST: for<$($lt),*> extern "C" fn(*mut $ret) = unbound_post;

            extern "C" fn unbound<$($lt),*>(_: *mut bool, $(_: $t),*) -> ::std::mem::MaybeUninit<*mut $ret> {
                $crate::__private::unbound_import(concat!("__relib__", stringify!($trait), "_", stringify!($name)))
            }

            extern "C" fn unbound_post<$($lt),*>(_: *mut $ret) {
                $crate::__private::unbound_import(concat!("__post__relib__", stringify!($trait), "_", stringify!($name)))
            }

            let mut success = false;
            // SAFETY: as for unboxed imports.
            let slot = unsafe { ::std::ptr::read_volatile(&raw const SLOT) };
            let value = slot(&mut success, $($p),*);
            $crate::__private::check_import(success, stringify!($name));
            // SAFETY: success = 1 means the host returned a pointer to a valid R, which it frees in
            // its post function once the module has cloned it.
            unsafe {
                let host_value = value.assume_init();
                let copy: $ret = ::std::clone::Clone::clone(&*host_value);
                let post = ::std::ptr::read_volatile(&raw const POST);
                post(host_value);
                copy
            }
        }
    };
}
