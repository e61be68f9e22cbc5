//! `plancheck man`: the man page (roff), from the command line's definition.

use std::io::{self, Write};

use clap::CommandFactory;

use crate::cli::Cli;

pub fn run(out: &mut dyn Write) -> io::Result<()> {
    clap_mangen::Man::new(Cli::command()).render(out)
}
