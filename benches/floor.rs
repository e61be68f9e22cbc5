//! The floor plancheck is measured against, as issue 5 defines it: walk a folder
//! (gitignore-aware, as plancheck does), read every file (the plans and the task, flow and
//! theme files beside them) and parse every markdown file fully with pulldown-cmark, on
//! every core. `cargo run --release --example floor -- DIR` prints files, bytes and seconds.
//! With `--only PLAN`, every file is still read but only that plan parsed: the floor of
//! checking one plan against its project (the pre-commit case).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool"
)]
#![allow(
    clippy::disallowed_methods,
    reason = "a tool that writes and reads corpora on disk"
)]

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

#[expect(
    clippy::disallowed_methods,
    reason = "the floor is a bare parse, outside plancheck"
)]
fn parse(text: &str) -> usize {
    pulldown_cmark::Parser::new_ext(text, pulldown_cmark::Options::all())
        .into_offset_iter()
        .count()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, only) = match args.as_slice() {
        [dir] => (dir.clone(), None),
        [dir, flag, plan] if flag == "--only" => (dir.clone(), Some(PathBuf::from(plan))),
        _ => {
            eprintln!("usage: floor DIR [--only PLAN]");
            std::process::exit(2);
        }
    };
    let start = Instant::now();
    let files: Vec<PathBuf> = ignore::WalkBuilder::new(&dir)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .collect();
    let (bytes, events) = files
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path).unwrap_or_default();
            let parsed = match &only {
                Some(plan) => path == plan,
                None => path.extension().is_some_and(|e| e == "md"),
            };
            let events = if parsed {
                parse(&String::from_utf8_lossy(&bytes))
            } else {
                0
            };
            (bytes.len(), events)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "files={} bytes={bytes} events={events} seconds={seconds:.4}",
        files.len()
    );
}
