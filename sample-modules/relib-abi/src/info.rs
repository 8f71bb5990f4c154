//! `__RELIB__CRATE_COMPILATION_INFO__`: the `Str` static a relib host reads first (RELIB-PROTOCOL.md
//! §1), `"{rustc}|{host}|{llvm}|{relib}|{unloading}"`. The first three fields come from the build
//! script; the string is assembled at compile time so the static points at read-only bytes, exactly
//! like relib_module's `Str::const_from(env!(..))`.

/// `{rustc}|{host}|{llvm}` of the compiler building this crate (see build.rs).
pub const RUSTC_FIELDS: &str = env!("RELIB_ABI_RUSTC_FIELDS");

/// The relib version this crate speaks; a relib 0.7 host refuses any other.
pub const RELIB_VERSION: &str = "0.7.0";

/// Length of the compilation-info string for `relib` and `unloading`.
pub const fn info_len(relib: &str) -> usize {
    RUSTC_FIELDS.len() + 1 + relib.len() + 2
}

/// The compilation-info bytes; `N` must be `info_len(relib)`.
pub const fn info_bytes<const N: usize>(relib: &str, unloading: bool) -> [u8; N] {
    assert!(N == info_len(relib), "info_bytes: N must be info_len(relib)");
    let mut out = [0u8; N];
    let mut at = copy(&mut out, 0, RUSTC_FIELDS.as_bytes());
    out[at] = b'|';
    at = copy(&mut out, at + 1, relib.as_bytes());
    out[at] = b'|';
    out[at + 1] = if unloading { b'1' } else { b'0' };
    out
}

const fn copy<const N: usize>(out: &mut [u8; N], at: usize, bytes: &[u8]) -> usize {
    let mut i = 0;
    while i < bytes.len() {
        out[at + i] = bytes[i];
        i += 1;
    }
    at + bytes.len()
}

/// Exports `__RELIB__CRATE_COMPILATION_INFO__` from the module. Invoke it once per fixture crate:
///
/// * `compilation_info!()` — a module without unloading (`…|0.7.0|0`);
/// * `compilation_info!(unloading)` — a module that links `relib_abi_unloading` (`…|0.7.0|1`);
/// * `compilation_info!(unloading, relib = "0.6.0")` — a deliberately mismatched version.
///
/// relib_module derives the last field from its own cargo feature. Here the fixture states it,
/// because cargo unifies a dependency's features across a workspace build (one `relib_abi` would
/// otherwise say `1` for every fixture); the C host test checks that the flag agrees with the
/// presence of the internal exports.
#[macro_export]
macro_rules! compilation_info {
    () => {
        $crate::compilation_info!(@emit $crate::info::RELIB_VERSION, false);
    };
    (unloading) => {
        $crate::compilation_info!(@emit $crate::info::RELIB_VERSION, true);
    };
    (unloading, relib = $version:literal) => {
        $crate::compilation_info!(@emit $version, true);
    };
    (relib = $version:literal) => {
        $crate::compilation_info!(@emit $version, false);
    };
    (@emit $version:expr, $unloading:expr) => {
        const _: () = {
            const LEN: usize = $crate::info::info_len($version);
            static BYTES: [u8; LEN] = $crate::info::info_bytes::<LEN>($version, $unloading);
            #[unsafe(export_name = "__RELIB__CRATE_COMPILATION_INFO__")]
            static INFO: $crate::Str = $crate::Str::from_static(&BYTES);
        };
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_has_five_fields_in_relib_order() {
        const LEN: usize = info_len(RELIB_VERSION);
        let bytes = info_bytes::<LEN>(RELIB_VERSION, true);
        let text = std::str::from_utf8(&bytes).unwrap();
        let fields: Vec<&str> = text.split('|').collect();
        assert_eq!(fields.len(), 5, "{text}");
        assert!(fields[0].starts_with(char::is_numeric), "rustc version first: {text}");
        assert!(fields[1].contains("-linux-"), "host triple second: {text}");
        assert_eq!(&fields[3..], ["0.7.0", "1"]);
    }

    #[test]
    fn rustc_fields_match_rustc_itself() {
        let out = std::process::Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .arg("--version")
            .output()
            .unwrap();
        let version = String::from_utf8(out.stdout).unwrap();
        let version = version.trim().strip_prefix("rustc ").unwrap();
        assert!(RUSTC_FIELDS.starts_with(&format!("{version}|")), "{RUSTC_FIELDS} vs {version}");
    }

    #[test]
    fn unloading_off_and_other_versions() {
        const LEN: usize = info_len("0.6.0");
        let bytes = info_bytes::<LEN>("0.6.0", false);
        assert!(std::str::from_utf8(&bytes).unwrap().ends_with("|0.6.0|0"));
    }
}
