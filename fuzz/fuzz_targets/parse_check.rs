//! Any bytes, as a plan file: decoding, parsing, every single-file rule and every output
//! format must not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

/// The bytes with each 0x01 widened to twenty thousand `x`: inputs stay short, and a few
/// such bytes still put findings past column 65,535, where renderers have broken before.
fn widened(data: &[u8]) -> Vec<u8> {
    let mut wide = Vec::with_capacity(data.len());
    for &byte in data {
        match byte {
            0x01 => wide.extend(std::iter::repeat_n(b'x', 20_000)),
            byte => wide.push(byte),
        }
    }
    wide
}

fuzz_target!(|data: &[u8]| {
    let plans = [
        (
            "projectManagement/Implementations/active/M01-v1-fuzz.md",
            data.to_vec(),
        ),
        ("H-20250711T141500-fuzz.md", widened(data)),
    ];
    for (name, bytes) in plans {
        if let Some(report) = plancheck::check_standalone_report(name, bytes) {
            common::render_every_format(&[report]);
        }
    }
});
