//! The template loader (short tags, YAML 1.1 scalars, alias budget,
//! intrinsics) on any text read as YAML.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parity_cloudformation::load_template_str(text, "fuzz.yaml".as_ref());
    }
});
