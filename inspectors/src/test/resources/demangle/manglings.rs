// Compiled by RealSymbolsTest with rustc (v0 and legacy mangling) to get real symbols that use
// many parts of the mangling grammars: generics, const generics, closures, trait and inherent
// impls, dyn traits, fn pointers, references with lifetimes, raw pointers, arrays, slices,
// tuples and non-ASCII identifiers.
#![allow(non_snake_case, uncommon_codepoints, dead_code)]
use std::fmt::Debug;

pub struct Wrapper<T, const N: usize>([T; N]);

pub trait Shape {
    fn area(&self) -> f64;
}

pub struct Circle(f64);

impl Shape for Circle {
    #[inline(never)]
    fn area(&self) -> f64 {
        self.0 * self.0 * 3.14
    }
}

impl<T: Debug, const N: usize> Wrapper<T, N> {
    #[inline(never)]
    pub fn describe(&self) -> String {
        format!("{:?}", &self.0[..])
    }
}

#[inline(never)]
pub fn generic<T: Debug>(value: T) -> String {
    format!("{:?}", value)
}

#[inline(never)]
pub fn with_const<const B: bool, const C: char, const I: i32>() -> i64 {
    if B { C as i64 + I as i64 } else { I as i64 }
}

#[inline(never)]
pub fn call_fn(f: for<'a> fn(&'a u8) -> &'a u8, p: *const u16, q: *mut i128) -> usize {
    *f(&3) as usize + p as usize + q as usize
}

#[inline(never)]
pub fn total_area(shapes: &[Box<dyn Shape + Send>]) -> f64 {
    shapes.iter().map(|s| s.area()).sum()
}

#[inline(never)]
pub fn use_iter(it: &mut dyn Iterator<Item = (u8, char)>) -> usize {
    it.count()
}

#[inline(never)]
pub fn grüße<'a>(name: &'a str) -> &'a str {
    name
}

pub mod 日本 {
    #[inline(never)]
    pub fn 関数(x: u32) -> u32 {
        x + 1
    }
}

#[inline(never)]
pub unsafe extern "C" fn c_callback(x: i32) -> i32 {
    x
}

#[inline(never)]
pub fn takes_fn_ptr(f: unsafe extern "C" fn(i32) -> i32, g: fn(&mut [u8; 4], (bool, ())) -> !) -> usize {
    f as usize + g as usize
}

fn diverge(_: &mut [u8; 4], _: (bool, ())) -> ! {
    loop {}
}

#[no_mangle]
pub extern "C" fn manglings_entry() -> usize {
    let w = Wrapper([1u8, 2, 3]);
    let shapes: Vec<Box<dyn Shape + Send>> = vec![Box::new(Circle(1.0))];
    let mut it = vec![(1u8, 'x')].into_iter();
    w.describe().len()
        + Wrapper(["a"; 2]).describe().len()
        + generic((1i8, 2u64, [3i16; 2], "s")).len()
        + generic(Some(&[1.5f32][..])).len()
        + with_const::<true, 'x', -7>() as usize
        + with_const::<false, '\n', 42>() as usize
        + call_fn(|x| x, std::ptr::null(), std::ptr::null_mut())
        + total_area(&shapes) as usize
        + use_iter(&mut it)
        + grüße("x").len()
        + 日本::関数(1) as usize
        + takes_fn_ptr(c_callback, diverge)
        + (0..3).map(|i| i * 2).filter(|i| *i > 1).count()
}
