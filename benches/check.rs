//! In-process benchmarks (divan) of the per-plan work: the parse alone, and the parse with
//! every single-file rule. `cargo bench --bench check`. The whole binary on a corpus is
//! measured by `benches/run.sh`.

#![allow(clippy::unwrap_used, reason = "a benchmark on known input")]

const PLAN: &str = include_str!(
    "../fixtures/example/projectManagement/Implementations/active/M02-v1-user-authentication.md"
);

fn main() {
    divan::main();
}

#[divan::bench]
fn parse() -> usize {
    plancheck::parse::parse(
        divan::black_box(PLAN),
        Some("M02-v1-user-authentication.md"),
    )
    .items
    .len()
}

#[divan::bench]
fn parse_and_check() -> usize {
    plancheck::check_standalone(
        "projectManagement/Implementations/active/M02-v1-user-authentication.md",
        divan::black_box(PLAN.as_bytes().to_vec()),
    )
    .len()
}

#[divan::bench]
fn date() -> bool {
    plancheck::date::parse(divan::black_box("2025-07-14T09:30:00+02:00")).is_ok()
}
