//! The template loader (intrinsics evaluated) on any text read as JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parity_cloudformation::load_template_str(text, "fuzz.json".as_ref());
    }
});
