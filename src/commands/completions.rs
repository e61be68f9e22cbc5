//! `plancheck completions SHELL`: shell completions, from the command line's definition.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::Cli;

pub fn run(shell: clap_complete::Shell, out: &mut dyn Write) {
    clap_complete::generate(shell, &mut Cli::command(), "plancheck", out);
}
