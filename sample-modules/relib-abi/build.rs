//! Computes the first three fields of relib's compilation info from `$RUSTC -v -V`, as relib 0.7's
//! `crate_compilation_info` build script does (RELIB-PROTOCOL.md §1): line 1 without "rustc ",
//! line 5 without "host: ", line 7 without "LLVM version: ". Any other shape of output is an error:
//! a relib host compares the whole string, so a guessed field would only fail later and less clearly.

use std::process::Command;

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let output = Command::new(&rustc)
        .arg("-v")
        .arg("-V")
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{rustc} -v -V`: {e}"));
    let text = String::from_utf8(output.stdout).expect("`rustc -v -V` printed non-UTF-8 text");
    let lines: Vec<&str> = text.lines().collect();
    let [rustc_version, _, _, _, host, _, llvm] = lines[..] else {
        panic!("`{rustc} -v -V` printed {} lines, relib expects exactly 7:\n{text}", lines.len());
    };
    let field = |line: &str, prefix: &str| {
        line.strip_prefix(prefix)
            .unwrap_or_else(|| panic!("`rustc -v -V` line {line:?} does not start with {prefix:?}"))
            .to_string()
    };
    let fields = format!(
        "{}|{}|{}",
        field(rustc_version, "rustc "),
        field(host, "host: "),
        field(llvm, "LLVM version: ")
    );
    println!("cargo:rustc-env=RELIB_ABI_RUSTC_FIELDS={fields}");
    println!("cargo:rerun-if-env-changed=RUSTC");
}
