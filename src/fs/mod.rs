//! The disk, and the one module that touches it: walking (`walk`), listing (`list`), looking
//! (`stat`), reading with limits (`read`), writing atomically (`write`), and the paths
//! plancheck names (`path`). It imports nothing from the rest of the crate and judges no
//! file: which are plans, tasks or flows is for its callers to say.

#![allow(
    clippy::disallowed_methods,
    reason = "the one module that touches the disk"
)]

mod list;
mod path;
mod read;
mod stat;
mod walk;
mod write;

pub use list::{folders_below, names_in, Folder};
pub use path::{
    absolute, current_dir, folder_and_name, folder_below, is_markdown_name, os_text, relative_to,
    relative_to_current_dir, split_at_last_separator, stays_inside, without_leading_dot,
};
pub use read::{
    read_capped, read_head, read_stream, FileReader, ReadError, BASELINE_LIMIT, CONFIG_LIMIT,
    PLAN_LIMIT, PROJECT_FILE_LIMIT,
};
pub use stat::{canonical, entry_exists, entry_kind, is_folder, lies_within, EntryKind};
pub use walk::{walk, Walked};
pub use write::{create_folders, open_to_append, write_atomic, write_new};
