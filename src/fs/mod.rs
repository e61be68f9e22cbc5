//! The disk: files read only when they are regular and within a size limit, files written
//! atomically, and paths named as plancheck shows them. Nothing here knows what a plan or a
//! project file means.

mod list;
mod path;
mod read;
mod stat;
mod walk;
mod write;

pub use list::{folders_below, names_in, Folder};
pub use path::{
    absolute, current_dir, folder_and_name, folder_below, is_markdown_name, os_text,
    relative_to_current_dir, same_path, split_at_last_separator, stays_inside, without_leading_dot,
};
pub use read::{
    read_again, read_capped, read_head, read_stream, FileReader, ReadError, BASELINE_LIMIT,
    CONFIG_LIMIT, PLAN_LIMIT, PROJECT_FILE_LIMIT,
};
pub use stat::{canonical, entry_exists, entry_kind, is_folder, lies_within, EntryKind};
pub use walk::{walk, Walked};
pub use write::{open_to_append, write_atomic};
