use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use plancheck::{cli::Cli, run, Io, Outcome};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let stdout_is_terminal = stdout.is_terminal();
    // Not locked here: the report is written from a thread of the checking pool.
    let mut stdout = std::io::BufWriter::new(stdout);
    let io = Io {
        stdout: &mut stdout,
        stderr: &mut std::io::stderr(),
        // Not locked: `plancheck mcp` reads it from another thread.
        stdin: &mut std::io::stdin(),
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
