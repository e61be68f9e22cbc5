//! Any bytes, as a plan file: decoding, parsing and every single-file rule must not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = plancheck::check_standalone(
        "projectManagement/Implementations/active/M01-v1-fuzz.md",
        data.to_vec(),
    );
    let _ = plancheck::check_standalone("H-20250711T141500-fuzz.md", data.to_vec());
});
