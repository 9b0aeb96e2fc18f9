//! The Terraform loader on any bytes: an error or resources, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(input) = parity_terraform::load_slice(data, "fuzz.json".as_ref()) {
        // Every value must print (Display is how values reach reports).
        for resource in input.resources.iter().chain(&input.data_sources) {
            for value in resource.properties.values() {
                let _ = value.to_string();
            }
        }
    }
});
