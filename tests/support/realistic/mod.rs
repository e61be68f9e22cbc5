//! A realistic project written from a seed, with one mistake planted in some of its plans
//! and what the spec says plancheck must report for each: the corpus of issues 20 and 21.
//!
//! Written from the spec (`layout.md`, `rules.md`), not from plancheck: nothing here uses
//! the plancheck library. Plans are written the many ways teams write them (every item
//! style of `items.rs`, the prose of `prose.rs`, every date, status and Related Tasks
//! form); each planted plan holds exactly one mistake of `mistakes.rs`, so its expected
//! findings are exactly one; the clean plans and the non-plans must get none. `compare`
//! runs the real binary on the corpus and tells planted, found, missed and unexpected.

#![allow(
    dead_code,
    reason = "the test and the example each take what they need"
)]

pub mod compare;
mod doc;
mod items;
pub mod mistakes;
mod names;
mod nonplans;
mod plan;
mod project;
mod prose;
mod rng;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use doc::{Doc, Ref, RefKind};
use mistakes::{FilePlant, How, PlanFacts, Plant, Target, Tasks};
use names::{all_flows, h_stamp, high_task_id, sidequest_id, task_id, FLOW_FILES, THEMES};
use project::{Listed, Milestone, Task};
use rng::{Day, Rng};

/// The date the corpus is checked on (`--today`): every Created and Updated is on or
/// before it, so PC303 is found only where planted.
pub const TODAY: &str = "2025-12-31";

pub struct Options {
    /// Plans to write (a planted file mistake takes a plan's place).
    pub plans: usize,
    pub seed: u64,
    /// How many plans in a hundred get a mistake.
    pub planted_percent: usize,
    /// Projects to spread the plans over (`repo-1/`, ...), each with its own project file
    /// shapes; one writes the project at the root.
    pub repos: usize,
}

/// What was written and what plancheck must find in it.
#[derive(Default)]
pub struct Manifest {
    pub files: Vec<FileEntry>,
    pub expected: Vec<Expected>,
    /// Files plancheck must check (plans, and the planted non-plans it is given).
    pub checked: usize,
    pub plans: usize,
    pub planted: usize,
    /// Lines of other files that belong to a planted mistake: a finding there is that
    /// mistake's echo.
    pub echoes: Vec<Echo>,
}

/// A line where a finding would echo a mistake planted elsewhere (the entry of an empty
/// listed plan in completion-path.json).
#[derive(Clone, Debug)]
pub struct Echo {
    pub path: String,
    pub line: usize,
    pub code: &'static str,
    pub style: String,
}

pub struct FileEntry {
    /// From the corpus root, with `/`.
    pub path: String,
    pub kind: FileKind,
    /// The style that wrote each line, for telling which style a false alarm stands on.
    pub line_styles: Vec<&'static str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileKind {
    Clean,
    Planted { style: String },
    NonPlan { style: &'static str },
}

/// One finding plancheck must report.
#[derive(Clone, Debug)]
pub struct Expected {
    pub path: String,
    pub line: usize,
    pub code: &'static str,
    /// Text its help must hold.
    pub help: Option<String>,
    /// The id it is about, when it is a reference: of two findings of one code on the
    /// line, the one naming it is this one.
    pub subject: Option<String>,
    /// The style the mistake is written in: the row of the comparison.
    pub style: String,
}

pub fn generate(root: &Path, options: &Options) -> io::Result<Manifest> {
    let plants = mistakes::all();
    let mut manifest = Manifest::default();
    let mut next_plant = 0;
    let repos = options.repos.max(1);
    for r in 0..repos {
        let prefix = if repos == 1 {
            String::new()
        } else {
            format!("repo-{}/", r + 1)
        };
        let mut repo = Repo {
            root: root.join(&prefix),
            prefix,
            rng: Rng::new(options.seed.wrapping_mul(31).wrapping_add(r as u64)),
            milestones: Vec::new(),
            tasks: 0,
            high_plans: 0,
        };
        let plans = options.plans / repos + usize::from(r < options.plans % repos);
        repo.write(
            plans,
            options.planted_percent,
            &plants,
            &mut next_plant,
            &mut manifest,
        )?;
    }
    Ok(manifest)
}

pub(crate) fn write(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

const TITLES: &[(&str, &str)] = &[
    ("Checkout Revamp", "checkout-revamp"),
    ("Search Indexing", "search-indexing"),
    ("Token Rotation", "token-rotation"),
    ("Café Menu Sync ☕", "cafe-menu-sync"),
    ("多言語対応 (i18n)", "i18n-support"),
    ("Offline Mode — Mobile", "offline-mode"),
    ("Admin Audit Log", "admin-audit-log"),
    ("Email Digests", "email-digests"),
    ("Refunds & Disputes", "refunds-and-disputes"),
    ("Rate Limiting", "rate-limiting"),
    ("Data Pipeline v2", "data-pipeline-v2"),
    ("Passwordless Login", "passwordless-login"),
    ("Dark Mode 🌙", "dark-mode"),
];
const H_TITLES: &[(&str, &str)] = &[
    ("Token Leak Fix", "token-leak-fix"),
    ("Payment Outage Hotfix", "payment-outage-hotfix"),
    ("Login Lockout Bug", "login-lockout-bug"),
];
const PHASE_NAMES: &[&str] = &[
    "Groundwork",
    "Token Service",
    "API & Webhooks",
    "Registration and Login",
    "Rollout — EU first",
    "UI (web + mobile)",
    "Internationalisation 🌍",
    "Migración de datos",
];
/// Flow items whose reading no rule in question hangs on: a milestone's required flows
/// (PC507) are drawn from these, so that a false alarm there stays on its own line.
const PLAIN_FLOW_STYLES: &[&str] = &[
    "flow:layout-code-lead",
    "flow:layout-bold-lead",
    "flow:layout-plain-lead-file",
    "flow:code-lead-file",
];

struct Repo {
    root: PathBuf,
    /// The repository's folder from the corpus root (`repo-2/`), or nothing.
    prefix: String,
    rng: Rng,
    milestones: Vec<Milestone>,
    /// Task ids handed out, so each is new.
    tasks: usize,
    high_plans: usize,
}

/// A regular plan written: its entry in completion-path.json and what its milestone
/// takes from it.
struct Written {
    listed: Listed,
    tasks: Vec<String>,
    plain_flows: Vec<String>,
}

impl Repo {
    fn pm(&self) -> PathBuf {
        self.root.join("projectManagement")
    }

    fn write(
        &mut self,
        plans: usize,
        planted_percent: usize,
        plants: &[Plant],
        next_plant: &mut usize,
        manifest: &mut Manifest,
    ) -> io::Result<()> {
        let mut units = 0;
        let mut milestone = 0;
        while units < plans {
            milestone += 1;
            if plans - units >= 2 && self.rng.chance(8) {
                self.superseded_pair(milestone, manifest)?;
                units += 2;
                continue;
            }
            let plant = self.rng.chance(planted_percent).then(|| {
                *next_plant += 1;
                &plants[(*next_plant - 1) % plants.len()]
            });
            let n = *next_plant;
            match plant {
                Some(p) => match p.how {
                    How::File(file) => self.file_mistake(milestone, p, file, manifest)?,
                    _ if p.target == Target::High => self.high_plan(Some(p), n, manifest)?,
                    _ => self.single_plan(milestone, Some(p), n, manifest)?,
                },
                None if self.rng.chance(5) => self.high_plan(None, n, manifest)?,
                None => self.single_plan(milestone, None, n, manifest)?,
            }
            units += 1;
        }
        let pm = self.pm();
        let path = format!(
            "{}projectManagement/Tasks/completion-path.json",
            self.prefix
        );
        for (line, code, style) in
            project::write_completion_path(&pm, &self.milestones, &mut self.rng)?
        {
            if code == "PC511" {
                let (help, subject) = (None, None);
                manifest.expected.push(Expected {
                    path: path.clone(),
                    line,
                    code,
                    help,
                    subject,
                    style,
                });
            } else {
                manifest.echoes.push(Echo {
                    path: path.clone(),
                    line,
                    code,
                    style,
                });
            }
        }
        project::write_flows(&pm, &mut self.rng)?;
        project::write_themes(&pm, &mut self.rng)?;
        for (path, style, text) in nonplans::NON_PLANS {
            write(&self.root.join(path), text)?;
            manifest.files.push(FileEntry {
                path: format!("{}{path}", self.prefix),
                kind: FileKind::NonPlan { style },
                line_styles: Vec::new(),
            });
        }
        for (path, text) in nonplans::SUPPORT_FILES {
            write(&self.root.join(path), text)?;
        }
        Ok(())
    }

    fn single_plan(
        &mut self,
        milestone: u32,
        plant: Option<&Plant>,
        n: usize,
        manifest: &mut Manifest,
    ) -> io::Result<()> {
        let drawn = if self.rng.chance(70) {
            "active"
        } else {
            "completed"
        };
        let status = plant.and_then(Plant::status).unwrap_or(drawn);
        let version = if self.rng.chance(85) { 1 } else { 2 };
        let title = self.rng.pick(TITLES);
        let written = self.regular_plan(
            milestone,
            version,
            status,
            title,
            plant.map(|p| (p, n)),
            manifest,
        )?;
        let required = plant.is_none_or(Plant::allows_required_flows) && self.rng.chance(60);
        let mut plans = vec![written.listed];
        if self.rng.chance(10) {
            let next = plans[0].version + 1;
            let filename = format!("M{milestone:02}-v{next}-next-steps.md");
            plans.push(Listed {
                filename,
                status: "pending",
                version: next,
                plant: None,
            });
        }
        self.milestones.push(Milestone {
            number: milestone,
            title: format!("Milestone {milestone}"),
            tasks: written.tasks,
            required_flows: if required {
                written.plain_flows.into_iter().take(1).collect()
            } else {
                Vec::new()
            },
            plans,
        });
        Ok(())
    }

    /// A plan superseded by its second version: the two versions agree on their milestone.
    fn superseded_pair(&mut self, milestone: u32, manifest: &mut Manifest) -> io::Result<()> {
        let title = self.rng.pick(TITLES);
        let first = self.regular_plan(milestone, 1, "superseded", title, None, manifest)?;
        let second = self.regular_plan(milestone, 2, "active", title, None, manifest)?;
        let required = first
            .plain_flows
            .iter()
            .find(|f| second.plain_flows.contains(f))
            .cloned();
        self.milestones.push(Milestone {
            number: milestone,
            title: format!("Milestone {milestone}"),
            tasks: first.tasks.into_iter().chain(second.tasks).collect(),
            required_flows: required.into_iter().collect(),
            plans: vec![first.listed, second.listed],
        });
        Ok(())
    }

    fn next_task(&mut self) -> usize {
        self.tasks += 1;
        self.tasks
    }

    fn dates(&mut self) -> plan::Dates {
        let created = Day(10 + self.rng.below(330) as u32);
        let updated = if self.rng.chance(3) {
            Day(364)
        } else {
            Day((created.0 + self.rng.below(25) as u32).min(364))
        };
        let target = created.plus(20 + self.rng.below(200) as u32);
        plan::Dates {
            created,
            updated,
            target,
        }
    }

    fn regular_plan(
        &mut self,
        milestone: u32,
        version: u32,
        status: &'static str,
        (title, slug): (&'static str, &'static str),
        plant: Option<(&Plant, usize)>,
        manifest: &mut Manifest,
    ) -> io::Result<Written> {
        let tasks_mode = match plant.map(|(p, _)| p.tasks()) {
            Some(Tasks::Named) | None if self.rng.chance(15) => Tasks::None,
            Some(Tasks::Named) | None if self.rng.chance(10) => Tasks::Unnamed,
            Some(mode) => mode,
            None => Tasks::Named,
        };
        let count = if tasks_mode == Tasks::None {
            0
        } else {
            1 + self.rng.below(3)
        };
        let tasks: Vec<String> = (0..count)
            .map(|k| {
                let id = self.next_task();
                if k == 1 {
                    sidequest_id(id, &mut self.rng)
                } else {
                    task_id(id, &mut self.rng)
                }
            })
            .collect();
        let first_phase = self.rng.below(PHASE_NAMES.len());
        let phases: Vec<&str> = (0..2 + self.rng.below(3))
            .map(|k| PHASE_NAMES[(first_phase + k) % PHASE_NAMES.len()])
            .collect();
        let spec = plan::Regular {
            milestone,
            version,
            status,
            title,
            tasks,
            phases,
            dates: self.dates(),
        };
        let mut doc = plan::regular(&spec, &mut self.rng);
        if let Some((plant, n)) = plant {
            let facts = PlanFacts {
                tasks: &spec.tasks,
                created: spec.dates.created,
                milestone,
                phases: spec.phases.len(),
            };
            plant.apply(&mut doc, &facts, n, &mut self.rng);
        }
        let (folder, suffix) = match status {
            "active" => ("active", ""),
            "superseded" => (self.rng.pick(&["completed", "archive"]), "-superseded"),
            _ => (self.rng.pick(&["completed", "archive"]), ""),
        };
        let file = format!("M{milestone:02}-v{version}-{slug}{suffix}.md");
        self.record(
            &format!("Implementations/{folder}/{file}"),
            &doc,
            plant.map(|(p, _)| p),
            &spec.tasks,
            manifest,
        )?;
        let pm = self.pm();
        for (k, id) in spec.tasks.iter().enumerate() {
            let phase = k % spec.phases.len();
            let plan = (tasks_mode == Tasks::Named).then(|| {
                let named = self.rng.chance(80).then(|| {
                    project::phase_reference(phase + 1, spec.phases[phase], &mut self.rng)
                });
                (file.clone(), named)
            });
            project::write_task(
                &pm,
                &Task {
                    id: id.clone(),
                    milestone,
                    plan,
                },
                &mut self.rng,
            )?;
        }
        let plain_flows = doc
            .lines
            .iter()
            .filter(|l| PLAIN_FLOW_STYLES.contains(&l.style))
            .flat_map(|l| &l.refs)
            .filter(|r| r.kind == RefKind::Flow && is_known(r, &[]))
            .map(|r| r.name.clone())
            .collect();
        let listed_status = if status == "active" {
            "active"
        } else {
            "completed"
        };
        Ok(Written {
            listed: Listed {
                filename: file,
                status: listed_status,
                version,
                plant: None,
            },
            tasks: spec.tasks,
            plain_flows,
        })
    }

    fn high_plan(
        &mut self,
        plant: Option<&Plant>,
        n: usize,
        manifest: &mut Manifest,
    ) -> io::Result<()> {
        let stamp = h_stamp(self.high_plans);
        self.high_plans += 1;
        let (title, slug) = self.rng.pick(H_TITLES);
        let original_task = high_task_id(self.next_task());
        let drawn = if plant.is_some() || self.rng.chance(70) {
            "active"
        } else {
            "completed"
        };
        let status = plant.and_then(Plant::status).unwrap_or(drawn);
        let spec = plan::High {
            stamp: stamp.clone(),
            title,
            status,
            original_task,
            dates: self.dates(),
        };
        let mut doc = plan::high(&spec, &mut self.rng);
        let tasks = [spec.original_task.clone()];
        if let Some(plant) = plant {
            let facts = PlanFacts {
                tasks: &tasks,
                created: spec.dates.created,
                milestone: 0,
                phases: 2,
            };
            plant.apply(&mut doc, &facts, n, &mut self.rng);
        }
        let folder = if status == "active" {
            "active"
        } else {
            "completed"
        };
        let file = format!("H-{stamp}-{slug}.md");
        self.record(
            &format!("Implementations/{folder}/{file}"),
            &doc,
            plant,
            &tasks,
            manifest,
        )?;
        let phase = project::phase_reference(1, "Contain", &mut self.rng);
        let task = Task {
            id: spec.original_task,
            milestone: 1,
            plan: Some((file, Some(phase))),
        };
        project::write_task(&self.pm(), &task, &mut self.rng)
    }

    /// Writes a plan and records what it must get: the findings set on its lines and one
    /// for each reference to something the project does not define.
    fn record(
        &mut self,
        path: &str,
        doc: &Doc,
        plant: Option<&Plant>,
        tasks: &[String],
        manifest: &mut Manifest,
    ) -> io::Result<()> {
        let ending = if self.rng.chance(10) { "\r\n" } else { "\n" };
        let bom = self.rng.chance(3);
        write(&self.pm().join(path), &doc.render(ending, bom))?;
        let full = format!("{}projectManagement/{path}", self.prefix);
        let style = plant.map(|p| p.style.clone()).unwrap_or_default();
        let mut expected = Vec::new();
        for (i, line) in doc.lines.iter().enumerate() {
            let found = |code, help, subject| Expected {
                path: full.clone(),
                line: i + 1,
                code,
                help,
                subject,
                style: style.clone(),
            };
            expected.extend(
                line.expect
                    .iter()
                    .map(|e| found(e.code, e.help.clone(), None)),
            );
            expected.extend(
                line.refs
                    .iter()
                    .filter(|r| !is_known(r, tasks))
                    .map(|r| found(r.kind.code(), case_help(r), Some(r.name.clone()))),
            );
        }
        assert_eq!(
            expected.len(),
            usize::from(plant.is_some()),
            "{full}: a planted plan holds exactly one mistake, a clean one none: {expected:?}"
        );
        let kind = match plant {
            Some(p) => FileKind::Planted {
                style: p.style.clone(),
            },
            None => FileKind::Clean,
        };
        manifest.files.push(FileEntry {
            path: full,
            kind,
            line_styles: doc.lines.iter().map(|l| l.style).collect(),
        });
        manifest.expected.extend(expected);
        manifest.checked += 1;
        manifest.plans += 1;
        manifest.planted += usize::from(plant.is_some());
        Ok(())
    }

    /// A mistake in the files rather than a plan's text.
    fn file_mistake(
        &mut self,
        milestone: u32,
        plant: &Plant,
        file: FilePlant,
        manifest: &mut Manifest,
    ) -> io::Result<()> {
        let (title, slug) = self.rng.pick(TITLES);
        let name = format!("M{milestone:02}-v1-{slug}.md");
        let listed = |filename: String| Listed {
            filename,
            status: "active",
            version: 1,
            plant: Some((plant.code, plant.style.clone())),
        };
        let (plans, written) = match file {
            FilePlant::ListedMissing => (vec![listed(name)], None),
            FilePlant::ListedParent => (vec![listed(format!("../../archive/{name}"))], None),
            FilePlant::ListedAbsolute => (vec![listed(format!("/srv/plans/{name}"))], None),
            FilePlant::ListedDrive => (vec![listed(format!("C:\\plans\\{name}"))], None),
            FilePlant::ListedEmpty => {
                let path = format!("projectManagement/Implementations/active/{name}");
                (vec![listed(name)], Some((path, String::new(), 1)))
            }
            FilePlant::ListedBlank => {
                let path = format!("projectManagement/Implementations/active/{name}");
                (vec![listed(name)], Some((path, " \n\t\n\n".to_string(), 1)))
            }
            FilePlant::Misfiled => {
                let path = format!(
                    "projectManagement/Implementations/active/kickoff-notes-{milestone}.md"
                );
                let text = format!("# Kickoff notes — {title}\n\n- Attendees: Ana, Jörg, Wei\n- Decision: start with the data model\n");
                (Vec::new(), Some((path, text, 1)))
            }
            FilePlant::NamedLikePlan => {
                let path = format!("docs/meetings/M{milestone:02}-v1-kickoff-notes.md");
                let text = format!("Meeting of 2025-06-30 (notes by Ana)\n\n# Kickoff — {title}\n\n- We agreed to start with the data model.\n");
                (Vec::new(), Some((path, text, 3)))
            }
        };
        if let Some((path, text, line)) = written {
            write(&self.root.join(&path), &text)?;
            let full = format!("{}{path}", self.prefix);
            manifest.expected.push(Expected {
                path: full.clone(),
                line,
                code: plant.code,
                help: None,
                subject: None,
                style: plant.style.clone(),
            });
            manifest.files.push(FileEntry {
                path: full,
                kind: FileKind::Planted {
                    style: plant.style.clone(),
                },
                line_styles: text.lines().map(|_| "planted").collect(),
            });
            manifest.checked += 1;
        }
        manifest.planted += 1;
        self.milestones.push(Milestone {
            number: milestone,
            title: title.to_string(),
            tasks: Vec::new(),
            required_flows: Vec::new(),
            plans,
        });
        Ok(())
    }
}

/// Whether the project defines what `r` names (`tasks`: the plan's own tasks).
fn is_known(r: &Ref, tasks: &[String]) -> bool {
    match r.kind {
        RefKind::Task => tasks.contains(&r.name),
        RefKind::Flow => all_flows().any(|f| f == r.name),
        RefKind::FlowFile => FLOW_FILES.iter().any(|f| f.file == r.name),
        RefKind::Theme => THEMES.contains(&r.name.as_str()),
    }
}

/// The known name an unknown one differs from only in case: what its help must name.
fn case_help(r: &Ref) -> Option<String> {
    let known: Vec<&str> = match r.kind {
        RefKind::Flow => all_flows().collect(),
        RefKind::Theme => THEMES.to_vec(),
        _ => return None,
    };
    known
        .into_iter()
        .find(|k| k.eq_ignore_ascii_case(&r.name))
        .map(str::to_string)
}
