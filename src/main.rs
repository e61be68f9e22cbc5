use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use plancheck::{cli::Cli, run, Io, Outcome};

fn main() -> ExitCode {
    tune_malloc();
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let stdout_is_terminal = stdout.is_terminal();
    // Not locked here: the report is written from a thread of the checking pool.
    let mut stdout = std::io::BufWriter::new(stdout);
    let io = Io {
        stdout: &mut stdout,
        stdin: &mut std::io::stdin().lock(),
        stdout_is_terminal,
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        github_step_summary: std::env::var_os("GITHUB_STEP_SUMMARY")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from),
    };
    match run(cli, io) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(error) if error.is_broken_pipe() => ExitCode::SUCCESS,
        Err(error) => {
            #[allow(clippy::print_stderr, reason = "main is where the process reports")]
            {
                eprintln!("{:?}", miette::Report::new(error));
            }
            ExitCode::from(2)
        }
    }
}

/// glibc raises the size from which it maps a block on its own each time it frees a large
/// mapped one (the text of a 20 MB completion-path.json, a walker's queue): every vector
/// below that size then comes from the heap, and what is freed there is not given back. A
/// fixed threshold (its default value) keeps large blocks mapped and returned: a run over
/// 100,000 plans peaks at 185 MB instead of 216.
///
/// The heap's top is kept (up to 64 MiB) rather than given back each time a plan's buffers
/// are freed, and grown 4 MiB at a time: a run over 10,000 plans took 8,000 page faults,
/// most of them pages given back and taken again, and takes 4,500 (peak memory about 1 MiB
/// higher at 10,000 plans, the same at 100,000).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    // SAFETY: mallopt only sets a parameter of the allocator, before any thread is started;
    // if it refuses (returns 0), the allocator keeps its own behaviour.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 * 1024 * 1024);
        libc::mallopt(libc::M_TOP_PAD, 4 * 1024 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}
