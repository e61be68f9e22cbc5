//! The disk: files read only when they are regular and within a size limit, and files
//! written atomically. Nothing here knows what a plan or a project file means.

mod read;
mod write;

pub use read::{
    kind_of, read_again, read_capped, FileReader, ReadError, BASELINE_LIMIT, CONFIG_LIMIT,
    PLAN_LIMIT, PROJECT_FILE_LIMIT,
};
pub use write::write_atomic;
