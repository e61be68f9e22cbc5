//! The realistic corpus of issues 20 and 21, and the check that plancheck finds exactly
//! what was planted in it:
//!
//! ```text
//! cargo run --release --example realistic -- DIR PLANS [SEED] [--planted PERCENT] [--repos N]
//! cargo run --release --example realistic -- compare DIR PLANS [SEED] [--planted PERCENT] [--repos N] [--bin PLANCHECK]
//! ```
//!
//! The first writes the corpus into DIR (which must not exist yet or be empty) with
//! `DIR/planted.tsv`, the findings plancheck must report. `compare` writes it too, runs
//! plancheck (`target/<profile>/plancheck` beside this example unless `--bin` names one:
//! build it first) with `--format json --today 2025-12-31`, and prints per code × style
//! what was planted, found, missed and found with other findings beside it, then the
//! findings on clean plans by code × the style of the line. Exit code 1 on any mismatch.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool"
)]
#![allow(
    clippy::disallowed_methods,
    reason = "a tool that writes and reads corpora on disk"
)]

#[path = "../tests/support/realistic/mod.rs"]
mod realistic;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str =
    "usage: realistic [compare] DIR PLANS [SEED] [--planted PERCENT] [--repos N] [--bin PLANCHECK]";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let compare = args.first().is_some_and(|a| a == "compare");
    if compare {
        args.remove(0);
    }
    let mut option = |name: &str| -> Option<String> {
        let at = args.iter().position(|a| a == name)?;
        let value = args.get(at + 1).cloned();
        args.drain(at..(at + 2).min(args.len()));
        value
    };
    let planted = option("--planted")
        .and_then(|p| p.parse().ok())
        .unwrap_or(30);
    let repos = option("--repos").and_then(|p| p.parse().ok()).unwrap_or(1);
    let binary = option("--bin").map(PathBuf::from).or_else(default_binary);
    let (Some(dir), Some(plans)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let dir = PathBuf::from(dir);
    if std::fs::read_dir(&dir).is_ok_and(|mut entries| entries.next().is_some()) {
        eprintln!("{} is not empty: give a new folder", dir.display());
        return ExitCode::from(2);
    }
    let options = realistic::Options {
        plans,
        seed,
        planted_percent: planted,
        repos,
    };
    let manifest = match realistic::generate(&dir, &options) {
        Ok(manifest) => manifest,
        Err(error) => {
            eprintln!("cannot write the corpus: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(error) = std::fs::write(dir.join("planted.tsv"), planted_tsv(&manifest)) {
        eprintln!("cannot write planted.tsv: {error}");
        return ExitCode::FAILURE;
    }
    println!(
        "wrote {} plans ({} planted mistakes, {} files to check) to {}",
        manifest.plans,
        manifest.planted,
        manifest.checked,
        dir.display()
    );
    if !compare {
        return ExitCode::SUCCESS;
    }
    let Some(binary) = binary.filter(|b| b.is_file()) else {
        eprintln!("no plancheck binary: `cargo build --release` first, or give --bin");
        return ExitCode::from(2);
    };
    match realistic::compare::run(&binary, &dir) {
        Ok(report) => {
            let comparison = realistic::compare::compare(&manifest, &report);
            print!("{}", comparison.table());
            let clean = comparison.planted_failures(|_, _| true).is_none()
                && comparison.unexpected.is_empty()
                && comparison.files_expected == comparison.files_reported;
            if clean {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

/// `plancheck` in the folder above this example's (`target/release/`).
fn default_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let profile = exe.parent()?.parent()?;
    Some(profile.join(Path::new("plancheck").with_extension(std::env::consts::EXE_EXTENSION)))
}

fn planted_tsv(manifest: &realistic::Manifest) -> String {
    let mut out = String::from("path\tline\tcode\tstyle\thelp must name\n");
    for e in &manifest.expected {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            e.path,
            e.line,
            e.code,
            e.style,
            e.help.as_deref().unwrap_or("")
        );
    }
    out
}
