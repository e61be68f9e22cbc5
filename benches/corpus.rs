//! Writes a benchmark corpus:
//! `cargo run --release --example corpus -- DIR PLANS [SEED] [DEFECT%] [--full]`.
//! Realistic plans with their tasks, milestones, flows and themes, about 10% seeded with a
//! defect by default; the same corpus for the same seed. `--full` writes the plans with
//! their prose and the task files in the upstream templates' whole shape (about 8.5 KB of
//! files a plan, where the default is about 3.5 KB), with the same references and defects.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool"
)]
#![allow(
    clippy::disallowed_methods,
    reason = "a tool that writes and reads corpora on disk"
)]

#[path = "../tests/support/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let detail = if let Some(at) = args.iter().position(|a| a == "--full") {
        args.remove(at);
        corpus::Detail::Full
    } else {
        corpus::Detail::Lean
    };
    let (Some(dir), Some(plans)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: corpus DIR PLANS [SEED] [DEFECT_PERCENT] [--full]");
        return ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let defects = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10);
    match corpus::generate_in_detail(&PathBuf::from(dir), plans, seed, defects, detail) {
        Ok(written) => {
            println!(
                "wrote {} plans ({} with a seeded defect) to {dir}",
                written.plans.len(),
                written.defects
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("cannot write the corpus: {error}");
            ExitCode::FAILURE
        }
    }
}
