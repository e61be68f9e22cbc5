//! The disk: files read only when they are regular and within a size limit, and files
//! written atomically. Nothing here knows what a plan or a project file means.

mod read;
mod write;

pub use read::{
    kind_of, lies_within, open_regular, read_again, read_capped, read_stream, FileReader,
    ReadError, BASELINE_LIMIT, CONFIG_LIMIT, PLAN_LIMIT, PROJECT_FILE_LIMIT,
};
pub use write::{open_to_append, write_atomic};
