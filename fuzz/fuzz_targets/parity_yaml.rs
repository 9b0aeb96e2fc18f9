//! `parity.yaml`: pairs, skips, waivers, compare options, sources.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parity_engine::Config::parse(text, "parity.yaml".as_ref());
    }
});
