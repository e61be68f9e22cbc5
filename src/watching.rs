//! Files a check reads, changed on disk: which changes count, and when a burst of them has
//! settled. `check --watch` and the language server (for an editor that watches no file
//! for it) both see the disk through [`notify`] and wait here.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::EventKind;

/// How long the files must stay still before they are read again: an editor's save, a `git
/// checkout` or `--fix` itself touch several files at once, and are one change.
pub const QUIET: Duration = Duration::from_millis(200);

/// Plans, task, flow and theme files, and the config: what a check reads. `ignored` (the
/// report that `-o` writes) is none of them, or each check would start the next.
pub fn is_checked_file(path: &Path, ignored: Option<&Path>) -> bool {
    let kind = path.extension().and_then(|e| e.to_str());
    matches!(kind, Some("md" | "json" | "toml")) && ignored != Some(path)
}

/// The files a watcher's event changed that a check reads; `None` when the event says
/// nothing of them. A watch that failed (a folder removed, too many events) may have missed
/// a change: it changed "some file", an empty list.
pub fn changed_files(
    event: &notify::Result<notify::Event>,
    ignored: Option<&Path>,
) -> Option<Vec<PathBuf>> {
    match event {
        Ok(event) if matches!(event.kind, EventKind::Access(_)) => None,
        Ok(event) => {
            let files: Vec<PathBuf> = (event.paths.iter())
                .filter(|path| is_checked_file(path, ignored))
                .cloned()
                .collect();
            (!files.is_empty()).then_some(files)
        }
        Err(_) => Some(Vec::new()),
    }
}

/// `folders` without those another of them holds: a recursive watch of the outer one sees
/// them already.
pub fn outermost(mut folders: Vec<PathBuf>) -> Vec<PathBuf> {
    folders.sort();
    folders.dedup();
    let kept: Vec<PathBuf> = (folders.iter())
        .filter(|f| !folders.iter().any(|o| o != *f && f.starts_with(o)))
        .cloned()
        .collect();
    kept
}

/// What a channel that carries changes among other things brings next.
#[derive(Debug, PartialEq, Eq)]
pub enum Next<T> {
    Item(T),
    /// The changes told to [`Settling::changed`] were followed by [`QUIET`] with none.
    Settled,
    /// Every sender is gone and no change waits.
    Closed,
}

/// Changes coming in bursts, told one at a time: a burst is over once no change came for
/// [`QUIET`]. What else the channel brings is handed on as it comes, in order.
#[derive(Debug, Default)]
pub struct Settling {
    due: Option<Instant>,
}

impl Settling {
    /// A change came: the burst it belongs to is over [`QUIET`] from now, unless another
    /// comes before.
    pub fn changed(&mut self) {
        self.due = Some(Instant::now() + QUIET);
    }

    /// The next thing `from` brings, or the end of a burst of changes.
    pub fn next<T>(&mut self, from: &Receiver<T>) -> Next<T> {
        let received = match self.due {
            None => from.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(due) => from.recv_timeout(due.saturating_duration_since(Instant::now())),
        };
        match received {
            Ok(item) => Next::Item(item),
            // No more can come: a change already seen is not lost for it.
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected)
                if self.due.take().is_some() =>
            {
                Next::Settled
            }
            Err(_) => Next::Closed,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    #[test]
    fn the_report_and_files_no_check_reads_start_no_check() {
        let report = Path::new("/p/report.json");
        assert!(is_checked_file(Path::new("/p/a/M01-v1-x.md"), Some(report)));
        assert!(is_checked_file(Path::new("/p/Tasks/t.json"), Some(report)));
        assert!(is_checked_file(Path::new("/p/plancheck.toml"), None));
        assert!(!is_checked_file(report, Some(report)));
        assert!(!is_checked_file(Path::new("/p/a/.M01.md.swp"), None));
        assert!(!is_checked_file(Path::new("/p/target"), None));
    }

    #[test]
    fn reading_a_file_changes_nothing_and_a_failed_watch_may_have_missed_anything() {
        let at = |kind: EventKind, path: &str| {
            Ok(notify::Event::new(kind).add_path(PathBuf::from(path)))
        };
        let read = EventKind::Access(notify::event::AccessKind::Any);
        let written = EventKind::Modify(notify::event::ModifyKind::Any);
        assert_eq!(changed_files(&at(read, "/p/Tasks/t.json"), None), None);
        assert_eq!(
            changed_files(&at(written, "/p/Tasks/t.json"), None),
            Some(vec![PathBuf::from("/p/Tasks/t.json")])
        );
        assert_eq!(changed_files(&at(written, "/p/Tasks/t.json~"), None), None);
        let failed = Err(notify::Error::generic("queue overflow"));
        assert_eq!(changed_files(&failed, None), Some(Vec::new()));
    }

    #[test]
    fn a_folder_inside_another_is_watched_with_it() {
        let folders = ["/p/b", "/p", "/q/x", "/p/b", "/q/xy"].map(PathBuf::from);
        assert_eq!(
            outermost(folders.to_vec()),
            ["/p", "/q/x", "/q/xy"].map(PathBuf::from)
        );
    }

    /// A `git checkout` of many files is one change, and what comes among the changes is
    /// handed on in its place.
    #[test]
    fn a_burst_of_changes_settles_once() {
        let (send, receive) = mpsc::channel();
        for at in 0..500 {
            send.send(if at == 250 { "typed" } else { "changed" })
                .unwrap();
        }
        let mut settling = Settling::default();
        let mut seen = Vec::new();
        loop {
            match settling.next(&receive) {
                Next::Item("changed") => settling.changed(),
                Next::Item(other) => seen.push(other),
                Next::Settled => seen.push("settled"),
                // The sender is still here: only the test's own end stops the wait.
                Next::Closed => unreachable!(),
            }
            if seen.last() == Some(&"settled") {
                break;
            }
        }
        assert_eq!(seen, ["typed", "settled"]);
        // Nothing pending: the end of the channel is told as such.
        drop(send);
        assert_eq!(settling.next(&receive), Next::Closed);
    }

    #[test]
    fn a_change_seen_before_the_channel_closed_still_settles() {
        let (send, receive) = mpsc::channel();
        send.send(()).unwrap();
        drop(send);
        let mut settling = Settling::default();
        assert_eq!(settling.next(&receive), Next::Item(()));
        settling.changed();
        assert_eq!(settling.next(&receive), Next::Settled);
        assert_eq!(settling.next(&receive), Next::Closed);
    }
}
