//! plancheck: a linter and validator for implementation plan documents.
//!
//! One straight line: paths → [`discover`] → read → [`parse`] → [`plan::Plan`] → [`rules`] →
//! [`diagnostic::Diagnostic`] → [`report`]. [`settings`] say what a run is told,
//! [`linter`] runs the rules over its inputs, and [`commands`] put the pieces together.
//! The library never prints; `run` writes to the writers it is given and returns the exit
//! status.
#![warn(clippy::print_stdout, clippy::print_stderr)]
// Only `fs` touches the disk (clippy.toml's disallowed methods); tests build their projects
// on it as they please.
#![cfg_attr(
    test,
    allow(clippy::disallowed_methods, reason = "tests write their fixtures")
)]

pub mod baseline;
pub mod cli;
pub mod commands;
pub mod date;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod fix;
pub mod fs;
pub mod graph;
pub mod linter;
pub mod parse;
pub mod plan;
pub mod project;
pub mod references;
pub mod report;
pub mod rules;
pub mod scaffold;
pub mod schema;
pub mod server;
pub mod settings;
pub mod source;
pub mod suggest;
pub mod template;
#[cfg(test)]
mod testing;
pub mod watching;

pub use commands::{run, Io, Outcome};
pub use error::Error;
pub use linter::{check_standalone, check_standalone_report};
