//! `terreng journey …`: writing journeys from the command line — a new journey, a step added,
//! moved or deleted, the files put in the canonical layout — on the study in view, through
//! the same edits ([`crate::model::edit`]) and the same writer ([`crate::store::write`]) as
//! the app.
//!
//! Every command reads the journey's file itself (a journey with no steps yet does not load
//! into the data set), refuses to drop a hand-written file's comments without `--force`, and
//! saves by merging with any change made on disk meanwhile. An unknown journey, step, kind,
//! theme or code exits 2 with a suggestion; a refusal exits 1 and writes nothing. Nothing here
//! touches the app or the terminal beyond the writers given.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::model::edit::{self, new_journey, new_step, next_step_id};
use crate::model::{FeatureClass, Journey, StepKind, Terrain};
use crate::store::annotations::NoteStore;
use crate::store::suggest::did_you_mean;
use crate::store::write::{self, Saved};
use crate::store::{self, DataSource, parse};
use crate::text::inert;

/// The arguments of `terreng journey`.
#[derive(Debug, Clone, clap::Args)]
pub struct JourneyArgs {
    #[command(subcommand)]
    pub action: JourneyAction,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum JourneyAction {
    /// Start a new journey: journeys/ID.ron, with no steps yet.
    New {
        id: String,
        #[arg(long)]
        title: String,
        /// A theme id from the catalogue.
        #[arg(long)]
        theme: String,
        #[arg(long)]
        goal: Option<String>,
    },
    /// Add a step after another (default: at the end); it gets the next free id.
    AddStep {
        journey: String,
        /// Advance, Detour, Circle, Stall, Blocked, Retreat, Wander or Arrive.
        #[arg(long)]
        kind: String,
        #[arg(long)]
        title: String,
        #[arg(long, value_name = "STEP")]
        after: Option<String>,
        #[arg(long)]
        narrative: Option<String>,
        /// An obstacle id (repeat for more).
        #[arg(long = "obstacle", value_name = "ID")]
        obstacles: Vec<String>,
        /// An enabler id (repeat for more).
        #[arg(long = "enabler", value_name = "ID")]
        enablers: Vec<String>,
        /// Write even if the file's comments would be dropped.
        #[arg(long)]
        force: bool,
    },
    /// Move a step to just after another (or to the front with --first); ids stay.
    MoveStep {
        journey: String,
        step: String,
        #[arg(long, value_name = "STEP", required_unless_present = "first")]
        after: Option<String>,
        #[arg(long, conflicts_with = "after")]
        first: bool,
        #[arg(long)]
        force: bool,
    },
    /// Delete a step; notes on it stay on disk as orphans.
    DeleteStep {
        journey: String,
        step: String,
        #[arg(long)]
        force: bool,
    },
    /// Write journey files in the canonical layout (all of them, or those named).
    Fmt {
        ids: Vec<String>,
        /// Only list the files that are not in the canonical layout; exit 1 if any.
        #[arg(long)]
        check: bool,
        #[arg(long)]
        force: bool,
    },
}

/// The study in view for editing: where it is, its catalogue, and every analyst's notes.
pub(crate) struct Study {
    pub source: DataSource,
    pub journeys_dir: PathBuf,
    pub terrain: Terrain,
    pub notes: NoteStore,
}

/// An outcome other than success: the exit code, after the message is printed.
pub(crate) struct Exit(pub i32);

/// Prints `message` on `err` as `terreng <what>: message` and gives the exit code.
pub(crate) fn fail(err: &mut impl Write, what: &str, code: i32, message: &str) -> Exit {
    let _ = writeln!(err, "terreng {what}: {}", inert(message));
    Exit(code)
}

impl Study {
    /// Opens the study in view (`--data DIR`, else `./journeys`); the bundled journeys are
    /// refused, since they are never written.
    pub(crate) fn open(
        data_dir: Option<PathBuf>,
        catalogue: Option<&Path>,
        annotations: Option<PathBuf>,
        what: &str,
        err: &mut impl Write,
    ) -> Result<Study, Exit> {
        let source = DataSource::resolve(data_dir);
        let journeys_dir = write::journeys_dir(&source).map_err(|m| fail(err, what, 1, &m))?;
        let opened = store::open(&source, catalogue);
        let terrain = opened.data.terrain;
        let root = annotations
            .or_else(|| source.default_annotations())
            .unwrap_or_else(|| PathBuf::from("annotations"));
        let (notes, _) = NoteStore::read(&root);
        Ok(Study {
            source,
            journeys_dir,
            terrain,
            notes,
        })
    }

    pub(crate) fn path_of(&self, id: &str) -> PathBuf {
        self.journeys_dir.join(format!("{id}.ron"))
    }

    /// The ids of the journey files in the folder, sorted.
    pub(crate) fn journey_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = std::fs::read_dir(&self.journeys_dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "ron") && p.is_file())
                    .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                    .filter(|s| s != "terrain" && !s.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        ids.sort();
        ids
    }

    /// Reads one journey's file: its text and the journey. An unknown id exits 2 with a
    /// suggestion; a file that does not parse exits 1.
    pub(crate) fn read(
        &self,
        id: &str,
        what: &str,
        err: &mut impl Write,
    ) -> Result<(String, Journey), Exit> {
        let path = self.path_of(id);
        let shown = path.display().to_string();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(_) => {
                let ids = self.journey_ids();
                return Err(fail(
                    err,
                    what,
                    2,
                    &format!(
                        "no journey '{id}' in {}{}",
                        self.journeys_dir.display(),
                        did_you_mean(id, ids.iter().map(String::as_str))
                    ),
                ));
            }
        };
        let text = parse::as_text(&shown, &bytes, "Journey")
            .map_err(|p| fail(err, what, 1, &p.to_string()))?;
        let journey: Journey =
            parse::parse(&shown, text).map_err(|p| fail(err, what, 1, &p.to_string()))?;
        Ok((text.to_string(), journey))
    }

    /// The step ids that notes on this journey refer to, by every analyst.
    pub(crate) fn noted_steps(&self, journey: &str) -> Vec<String> {
        self.notes
            .all()
            .into_iter()
            .filter(|(_, j, _)| *j == journey)
            .map(|(_, _, n)| n.step.clone())
            .collect()
    }
}

/// Refuses (exit 1) when writing `text` would drop comments, unless `force`.
pub(crate) fn comments_ok(
    text: &str,
    path: &Path,
    force: bool,
    what: &str,
    err: &mut impl Write,
) -> Result<(), Exit> {
    let lines = write::dropped_comments(text);
    if lines.is_empty() || force {
        return Ok(());
    }
    Err(fail(
        err,
        what,
        1,
        &format!(
            "{}: {} by writing it in the canonical layout; nothing was written (run again with --force to write it anyway)",
            path.display(),
            write::describe_dropped(&lines)
        ),
    ))
}

/// A step id in a journey, or exit 2 with a suggestion.
fn step_in(j: &Journey, step: &str, what: &str, err: &mut impl Write) -> Result<(), Exit> {
    if j.steps.iter().any(|s| s.id == step) {
        return Ok(());
    }
    Err(fail(
        err,
        what,
        2,
        &format!(
            "journey '{}' has no step '{step}'{}",
            j.id,
            did_you_mean(step, j.steps.iter().map(|s| s.id.as_str()))
        ),
    ))
}

/// Checks that every id names a code of `class` (an alias counts as its code), or exit 2.
fn codes_ok(
    terrain: &Terrain,
    ids: &[String],
    class: FeatureClass,
    what: &str,
    err: &mut impl Write,
) -> Result<(), Exit> {
    for id in ids {
        match terrain.feature(id) {
            Some((c, _)) if c == class => {}
            Some((c, _)) => {
                return Err(fail(
                    err,
                    what,
                    2,
                    &format!("'{id}' is an {}, not an {}", c.name(), class.name()),
                ));
            }
            None => {
                let known = terrain
                    .features()
                    .filter(|(c, _)| *c == class)
                    .map(|(_, f)| f.id.as_str());
                return Err(fail(
                    err,
                    what,
                    2,
                    &format!("unknown {} '{id}'{}", class.name(), did_you_mean(id, known)),
                ));
            }
        }
    }
    Ok(())
}

/// The step kind named (in any case), or exit 2 with a suggestion.
fn kind_of(name: &str, what: &str, err: &mut impl Write) -> Result<StepKind, Exit> {
    StepKind::ALL
        .into_iter()
        .find(|k| k.name().eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            let names: Vec<&str> = StepKind::ALL.iter().map(|k| k.name()).collect();
            fail(
                err,
                what,
                2,
                &format!(
                    "unknown step kind '{name}'{} (one of: {})",
                    did_you_mean(name, names.iter().copied()),
                    names.join(", ")
                ),
            )
        })
}

/// Saves an edited journey, merging with a change on disk; exit 1 on a conflict or error.
fn save(
    study: &Study,
    base_text: Option<&str>,
    base: Option<&Journey>,
    journey: &Journey,
    what: &str,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), Exit> {
    let path = study.path_of(&journey.id);
    match write::save_journey_merged(&path, base_text, base, journey) {
        Ok((Saved::Written, _, _)) => Ok(()),
        Ok((Saved::Merged, _, _)) => {
            let _ = writeln!(
                out,
                "{} had changed on disk; the changes were merged by step id",
                inert(&path.display().to_string())
            );
            Ok(())
        }
        Err(e) => Err(fail(err, what, 1, &format!("{e}; nothing was written"))),
    }
}

/// Runs `terreng journey …`; the exit code.
pub fn run(
    args: &JourneyArgs,
    data_dir: Option<PathBuf>,
    catalogue: Option<&Path>,
    annotations: Option<PathBuf>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<i32> {
    let what = "journey";
    let study = match Study::open(data_dir, catalogue, annotations, what, err) {
        Ok(s) => s,
        Err(Exit(code)) => return Ok(code),
    };
    let result = match &args.action {
        JourneyAction::New {
            id,
            title,
            theme,
            goal,
        } => new(&study, id, title, theme, goal.as_deref(), out, err),
        JourneyAction::AddStep {
            journey,
            kind,
            title,
            after,
            narrative,
            obstacles,
            enablers,
            force,
        } => (|| {
            let (text, base) = study.read(journey, what, err)?;
            let kind = kind_of(kind, what, err)?;
            if let Some(after) = after {
                step_in(&base, after, what, err)?;
            }
            codes_ok(&study.terrain, obstacles, FeatureClass::Obstacle, what, err)?;
            codes_ok(&study.terrain, enablers, FeatureClass::Enabler, what, err)?;
            comments_ok(&text, &study.path_of(journey), *force, what, err)?;
            let noted = study.noted_steps(journey);
            let id = next_step_id(&base, noted.iter().map(String::as_str));
            let mut step = new_step(id.clone(), kind, title);
            step.narrative = narrative.clone().unwrap_or_default();
            step.obstacles = obstacles.clone();
            step.enablers = enablers.clone();
            let mut j = base.clone();
            edit::add_after(&mut j, after.as_deref(), step)
                .map_err(|e| fail(err, what, 2, &e.to_string()))?;
            save(&study, Some(&text), Some(&base), &j, what, out, err)?;
            let place = after
                .as_deref()
                .map_or_else(|| "at the end".to_string(), |a| format!("after {a}"));
            let _ = writeln!(
                out,
                "added step {id} ({}, {}) to {} {place}",
                kind.name(),
                inert(title),
                inert(journey)
            );
            Ok(())
        })(),
        JourneyAction::MoveStep {
            journey,
            step,
            after,
            first,
            force,
        } => (|| {
            let (text, base) = study.read(journey, what, err)?;
            step_in(&base, step, what, err)?;
            let after = if *first { None } else { after.as_deref() };
            if let Some(a) = after {
                step_in(&base, a, what, err)?;
                if a == step {
                    return Err(fail(err, what, 2, "a step cannot move after itself"));
                }
            }
            comments_ok(&text, &study.path_of(journey), *force, what, err)?;
            let mut j = base.clone();
            edit::move_after(&mut j, step, after)
                .map_err(|e| fail(err, what, 2, &e.to_string()))?;
            save(&study, Some(&text), Some(&base), &j, what, out, err)?;
            let place = after.map_or_else(|| "first".to_string(), |a| format!("after {a}"));
            let _ = writeln!(
                out,
                "moved step {} of {} {}; its id stays",
                inert(step),
                inert(journey),
                inert(&place)
            );
            Ok(())
        })(),
        JourneyAction::DeleteStep {
            journey,
            step,
            force,
        } => (|| {
            let (text, base) = study.read(journey, what, err)?;
            step_in(&base, step, what, err)?;
            comments_ok(&text, &study.path_of(journey), *force, what, err)?;
            let mut j = base.clone();
            edit::delete_step(&mut j, step).map_err(|e| fail(err, what, 2, &e.to_string()))?;
            save(&study, Some(&text), Some(&base), &j, what, out, err)?;
            let _ = writeln!(out, "deleted step {} of {}", inert(step), inert(journey));
            let on_it = study
                .noted_steps(journey)
                .iter()
                .filter(|s| *s == step)
                .count();
            if on_it > 0 {
                let _ = writeln!(
                    err,
                    "terreng journey: warning: {on_it} note{} on step {} {}, kept on disk (`terreng check` lists orphans; the app re-attaches them)",
                    if on_it == 1 { "" } else { "s" },
                    inert(step),
                    if on_it == 1 {
                        "is now an orphan"
                    } else {
                        "are now orphans"
                    },
                );
            }
            Ok(())
        })(),
        JourneyAction::Fmt { ids, check, force } => fmt(&study, ids, *check, *force, out, err),
    };
    Ok(match result {
        Ok(()) => 0,
        Err(Exit(code)) => code,
    })
}

fn new(
    study: &Study,
    id: &str,
    title: &str,
    theme: &str,
    goal: Option<&str>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), Exit> {
    let what = "journey";
    if !store::validate::is_valid_id(id) {
        return Err(fail(
            err,
            what,
            2,
            &format!("journey id '{id}' may hold only ASCII letters, digits, '-' and '_'"),
        ));
    }
    if study.path_of(id).exists() {
        return Err(fail(
            err,
            what,
            1,
            &format!(
                "journey '{id}' exists already ({})",
                study.path_of(id).display()
            ),
        ));
    }
    if study.terrain.theme(theme).is_none() {
        let known = study.terrain.themes.iter().map(|t| t.id.as_str());
        return Err(fail(
            err,
            what,
            2,
            &format!("unknown theme '{theme}'{}", did_you_mean(theme, known)),
        ));
    }
    let mut j = new_journey(id, title, theme);
    if let Some(goal) = goal {
        j.goal = goal.to_string();
    }
    save(study, None, None, &j, what, out, err)?;
    let _ = writeln!(
        out,
        "wrote {}: journey {} with no steps yet (add them with `terreng journey add-step {}`)",
        inert(&study.path_of(id).display().to_string()),
        inert(id),
        inert(id)
    );
    Ok(())
}

/// `terreng journey fmt`: each file named (or every one) in the canonical layout.
fn fmt(
    study: &Study,
    ids: &[String],
    check: bool,
    force: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), Exit> {
    let what = "journey fmt";
    let ids = if ids.is_empty() {
        study.journey_ids()
    } else {
        ids.to_vec()
    };
    let mut differ = Vec::new();
    let mut refused = 0;
    for id in &ids {
        let (text, j) = study.read(id, what, err)?;
        let header = write::leading_comments(&text);
        let canonical = write::journey_text(&j, header).map_err(|m| fail(err, what, 1, &m))?;
        if canonical == text {
            continue;
        }
        differ.push(id.clone());
        if check {
            let _ = writeln!(out, "{}", inert(&study.path_of(id).display().to_string()));
            continue;
        }
        if comments_ok(&text, &study.path_of(id), force, what, err).is_err() {
            refused += 1;
            continue;
        }
        write::atomic_write(&study.path_of(id), canonical.as_bytes()).map_err(|e| {
            fail(
                err,
                what,
                1,
                &format!("{}: cannot write: {e}", study.path_of(id).display()),
            )
        })?;
    }
    if check {
        let _ = writeln!(
            out,
            "{} of {} files are not in the canonical layout",
            differ.len(),
            ids.len()
        );
        return if differ.is_empty() {
            Ok(())
        } else {
            Err(Exit(1))
        };
    }
    let _ = writeln!(
        out,
        "wrote {} of {} files in the canonical layout{}",
        differ.len() - refused,
        ids.len(),
        if refused > 0 {
            format!("; {refused} left as they are for their comments")
        } else {
            String::new()
        }
    );
    if refused > 0 { Err(Exit(1)) } else { Ok(()) }
}
