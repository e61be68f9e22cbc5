//! What the generated project defines (flows, flow files, themes), the names it does not
//! (the unknown ones planted), and the ids of tasks.

use super::rng::{Day, Rng};

/// A flow file and the flows it defines.
pub struct FlowFile {
    pub file: &'static str,
    pub flows: &'static [&'static str],
    /// Written as one flow with a top-level `flowId` rather than `flows[]`.
    pub single: bool,
    /// Left out of the flow index: its flows are known from the file alone.
    pub unindexed: bool,
}

/// Every flow the project defines, by file. The first three hold layout.md's own example
/// names (`user-login-flow`, `login-flow`, `auth-flow`, `auth-flow.json`, ...).
pub const FLOW_FILES: &[FlowFile] = &[
    FlowFile {
        file: "authentication-flow.json",
        flows: &["user-registration-flow", "user-login-flow"],
        single: false,
        unindexed: false,
    },
    FlowFile {
        file: "auth-flow.json",
        flows: &["login-flow", "logout-flow", "auth-flow"],
        single: false,
        unindexed: false,
    },
    FlowFile {
        file: "checkout-flow.json",
        flows: &["checkout-flow"],
        single: true,
        unindexed: false,
    },
    FlowFile {
        file: "payment-flow.json",
        flows: &["payment-processing-flow", "refund-flow"],
        single: false,
        unindexed: false,
    },
    FlowFile {
        file: "search-flow.json",
        flows: &["search-flow", "saved-search-flow"],
        single: false,
        unindexed: false,
    },
    FlowFile {
        file: "onboarding-flow.json",
        flows: &["onboarding-flow", "invite-teammate-flow"],
        single: false,
        unindexed: false,
    },
    FlowFile {
        file: "notifications-flow.json",
        flows: &["email-digest-flow", "push-opt-in-flow"],
        single: false,
        unindexed: false,
    },
    FlowFile {
        file: "admin-flow.json",
        flows: &["admin-audit-flow", "role-change-flow"],
        single: false,
        unindexed: false,
    },
    FlowFile {
        file: "reporting-flow.json",
        flows: &["monthly-report-flow"],
        single: true,
        unindexed: false,
    },
    FlowFile {
        file: "mobile-flow.json",
        flows: &["offline-sync-flow", "biometric-login-flow"],
        single: false,
        unindexed: true,
    },
];

/// Flows and flow files no project file defines: what a plan names by mistake.
pub const UNKNOWN_FLOWS: &[&str] = &[
    "password-reset-flow",
    "guest-checkout-flow",
    "sso-login-flow",
    "account-deletion-flow",
    "usr-login-flow",
    "paymnt-processing-flow",
    "chekout-flow",
    "serch-flow",
    "logut-flow",
    "onbording-flow",
];
pub const UNKNOWN_FLOW_FILES: &[&str] = &[
    "password-reset-flow.json",
    "guest-checkout-flow.json",
    "payments-flow.json",
    "authentification-flow.json",
    "chekout-flow.json",
    "sso-flow.json",
];

/// Themes: most in `themes.json`, the last ones only as `Themes/<name>.json`.
pub const THEMES: &[&str] = &[
    "authentication",
    "user-management",
    "security",
    "payment",
    "api",
    "database",
    "ui-components",
    "testing",
    "caching",
    "notifications",
    "search",
    "data_pipeline",
    "observability",
    "i18n",
];
/// How many of [`THEMES`] the index names; the rest exist only as files.
pub const INDEXED_THEMES: usize = 11;

pub const UNKNOWN_THEMES: &[&str] = &[
    "billing",
    "caching-layer",
    "authentcation",
    "perf",
    "sercurity",
    "user-managment",
    "infra",
    "analytics",
];

/// Names that appear only in prose (never a reference): unknown on purpose, so that
/// reading one as a reference is a finding on a clean plan.
pub const PROSE_FLOWS: &[&str] = &["legacy-sync-flow", "v1-login-flow", "batch-import-flow"];
pub const PROSE_FLOW_FILES: &[&str] = &["legacy-flow.json", "old-checkout-flow.json"];
pub const PROSE_THEMES: &[&str] = &["legacy", "mainframe", "growth"];

pub fn all_flows() -> impl Iterator<Item = &'static str> {
    FLOW_FILES.iter().flat_map(|f| f.flows.iter().copied())
}

/// A known name written in another case (the first letter up): an unknown id whose help
/// must name the known one. Flows keep their lower-case `-flow` ending, which is what
/// makes a plain word a flow id.
pub fn case_variant(known: &str) -> String {
    let mut chars = known.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Task ids in every form layout.md accepts, distinct for each number `n`.
pub fn task_id(n: usize, rng: &mut Rng) -> String {
    let stamp = Stamp::of(n);
    match rng.below(6) {
        0..=2 => format!("TASK-{}", stamp.compact()),
        3 => format!("TASK-{}", stamp.dashed_time()),
        4 => format!("TASK-{}", stamp.dashed()),
        _ => format!("HIGH-TASK-{}", stamp.compact()),
    }
}

pub fn sidequest_id(n: usize, rng: &mut Rng) -> String {
    let stamp = Stamp::of(n);
    match rng.below(4) {
        0 | 1 => format!("SQ-{}-{:03}", stamp.compact(), 1 + n % 7),
        2 => format!("SQ-TASK-{}-{:03}", stamp.compact(), 1 + n % 7),
        _ => format!("SQ-{}-{:04}", stamp.dashed_time(), 1 + n % 7),
    }
}

/// A well-formed task id that no task file has (2019, before any generated task).
pub fn unknown_task_id(n: usize, rng: &mut Rng) -> String {
    let stamp = Stamp {
        day: n as u32 % 300,
        minute: (n * 7 % 1440) as u32,
        year_shift: true,
    };
    match rng.below(4) {
        0 => format!("TASK-{}", stamp.compact()),
        1 => format!("TASK-{}", stamp.dashed_time()),
        2 => format!("HIGH-TASK-{}", stamp.compact()),
        _ => format!("SQ-{}-{:03}", stamp.compact(), 1 + n % 9),
    }
}

/// An H-plan's timestamp, distinct for each `n`.
pub fn h_stamp(n: usize) -> String {
    Stamp::of(n + 500_000).compact()
}

struct Stamp {
    day: u32,
    minute: u32,
    /// In 2019 rather than from 2025 on.
    year_shift: bool,
}

impl Stamp {
    fn of(n: usize) -> Stamp {
        Stamp {
            day: (n / 1440) as u32,
            minute: (n % 1440) as u32,
            year_shift: false,
        }
    }

    fn date(&self) -> (u32, u32, u32) {
        let (y, m, d) = Day(self.day).ymd();
        (if self.year_shift { y - 6 } else { y }, m, d)
    }

    fn time(&self) -> (u32, u32, u32) {
        (self.minute / 60, self.minute % 60, self.minute * 7 % 60)
    }

    fn compact(&self) -> String {
        let ((y, mo, d), (h, mi, s)) = (self.date(), self.time());
        format!("{y}{mo:02}{d:02}T{h:02}{mi:02}{s:02}")
    }

    fn dashed_time(&self) -> String {
        let ((y, mo, d), (h, mi, s)) = (self.date(), self.time());
        format!("{y}{mo:02}{d:02}-{h:02}{mi:02}{s:02}")
    }

    fn dashed(&self) -> String {
        let ((y, mo, d), (h, mi, s)) = (self.date(), self.time());
        format!("{y}-{mo:02}-{d:02}-{h:02}{mi:02}{s:02}")
    }
}

/// The original task of an H-plan.
pub fn high_task_id(n: usize) -> String {
    format!("HIGH-TASK-{}", Stamp::of(n).compact())
}
