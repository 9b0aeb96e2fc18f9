//! A JSON report read back as a baseline.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parity_report::read_baseline(text, "baseline.json");
    }
});
