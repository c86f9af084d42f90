//! `terreng code …`: the codebook of the study in view from the command line — list, add,
//! rename, merge and delete codes — through the same functions
//! ([`crate::model::codebook`]) and writer ([`crate::store::write`]) as the app.
//!
//! Changes go to the study's own `terrain.ron` (or the `--catalogue` file), never to the
//! bundled catalogue or a shared one beside the journeys. A merge rewrites the journeys'
//! references and leaves the merged code as an alias; notes are never rewritten. An unknown
//! id exits 2 with a suggestion; a refusal (a code in use, comments a write would drop, a
//! catalogue that does not check) exits 1 and writes nothing.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::journey::{Exit, Study, comments_ok, fail};
use crate::model::codebook::{self, CodeError};
use crate::model::{Feature, FeatureClass, Journey, Terrain};
use crate::store::suggest::did_you_mean;
use crate::store::write::{self, Saved};
use crate::store::{parse, validate};
use crate::text::inert;

/// The arguments of `terreng code`.
#[derive(Debug, Clone, clap::Args)]
pub struct CodeArgs {
    #[command(subcommand)]
    pub action: CodeAction,
}

/// The class of a new code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClassArg {
    Obstacle,
    Enabler,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum CodeAction {
    /// Every code by class, with how many journey steps and notes use it, and the aliases.
    List,
    /// Add a code; its id is made from the label unless given.
    Add {
        /// The English label.
        label: String,
        #[arg(long, value_enum)]
        class: ClassArg,
        #[arg(long)]
        id: Option<String>,
        /// The Norwegian label (default: the English one).
        #[arg(long, value_name = "LABEL")]
        no: Option<String>,
        #[arg(long, value_name = "TEXT")]
        definition: Option<String>,
        /// Write even if the catalogue's comments (beyond its header) would be dropped.
        #[arg(long)]
        force: bool,
    },
    /// Give a code a new English label (and with --no, a Norwegian one).
    Rename {
        id: String,
        label: String,
        #[arg(long, value_name = "LABEL")]
        no: Option<String>,
        #[arg(long)]
        force: bool,
    },
    /// Merge code FROM into INTO: journeys' references are rewritten, FROM stays as an alias.
    Merge {
        from: String,
        into: String,
        #[arg(long)]
        force: bool,
    },
    /// Delete a code that nothing uses.
    Delete {
        id: String,
        #[arg(long)]
        force: bool,
    },
}

/// The catalogue file as read: its path, text and content.
struct Catalogue {
    path: PathBuf,
    text: String,
    terrain: Terrain,
}

fn read_catalogue(
    study: &Study,
    asked: Option<&Path>,
    what: &str,
    err: &mut impl Write,
) -> Result<Catalogue, Exit> {
    let path = write::catalogue_file(&study.source, asked).map_err(|m| fail(err, what, 1, &m))?;
    let shown = path.display().to_string();
    let bytes = std::fs::read(&path)
        .map_err(|e| fail(err, what, 1, &format!("{shown}: cannot read: {e}")))?;
    let terrain = crate::store::terrain_from_bytes(&shown, &bytes).map_err(|problems| {
        for p in &problems {
            let _ = writeln!(err, "{}", inert(&p.to_string()));
        }
        fail(
            err,
            what,
            1,
            &format!("{shown} does not check; repair it first (`terreng check`)"),
        )
    })?;
    let text = parse::as_text(&shown, &bytes, "Terrain")
        .map_err(|p| fail(err, what, 1, &p.to_string()))?
        .to_string();
    Ok(Catalogue {
        path,
        text,
        terrain,
    })
}

/// Writes the changed catalogue, if it still checks and nobody changed the file meanwhile.
fn save_catalogue(
    cat: &Catalogue,
    terrain: &Terrain,
    what: &str,
    err: &mut impl Write,
) -> Result<(), Exit> {
    let shown = cat.path.display().to_string();
    let problems = validate::terrain(&shown, "", terrain);
    if !problems.is_empty() {
        for p in &problems {
            let _ = writeln!(err, "{}", inert(&p.to_string()));
        }
        return Err(fail(
            err,
            what,
            1,
            "the change would break the catalogue; nothing was written",
        ));
    }
    let now = std::fs::read(&cat.path).unwrap_or_default();
    if now != cat.text.as_bytes() {
        return Err(fail(
            err,
            what,
            1,
            &format!(
                "{shown} changed on disk meanwhile; nothing was written — run the command again"
            ),
        ));
    }
    write::save_terrain(&cat.path, terrain, Some(&cat.text))
        .map(|_| ())
        .map_err(|e| fail(err, what, 1, &format!("{shown}: cannot write: {e}")))
}

/// A code id in the catalogue (an alias too), or exit 2 with a suggestion.
fn known(terrain: &Terrain, id: &str, what: &str, err: &mut impl Write) -> Result<(), Exit> {
    if terrain.known(id) {
        return Ok(());
    }
    let ids: Vec<&str> = terrain
        .all_features()
        .map(|(_, f)| f.id.as_str())
        .chain(terrain.unsorted.iter().map(|f| f.id.as_str()))
        .collect();
    Err(fail(
        err,
        what,
        2,
        &format!("no code '{id}' in the catalogue{}", did_you_mean(id, ids)),
    ))
}

/// Every journey file of the study that parses, with its text; those that do not are named
/// on `err` and left out.
fn all_journeys(study: &Study, err: &mut impl Write) -> Vec<(String, Journey)> {
    let mut out = Vec::new();
    for id in study.journey_ids() {
        match study.read(&id, "code", &mut std::io::sink()) {
            Ok(pair) => out.push(pair),
            Err(_) => {
                let _ = writeln!(
                    err,
                    "terreng code: {} does not parse; it is left as it is",
                    inert(&study.path_of(&id).display().to_string())
                );
            }
        }
    }
    out
}

fn error(e: CodeError) -> (i32, String) {
    let code = match e {
        CodeError::Unknown(_) => 2,
        CodeError::BadId(_) | CodeError::Taken(_) | CodeError::SameCode(_) => 2,
        CodeError::Alias(..) | CodeError::InUse(..) => 1,
    };
    (code, e.to_string())
}

/// Runs `terreng code …`; the exit code.
pub fn run(
    args: &CodeArgs,
    data_dir: Option<PathBuf>,
    catalogue: Option<&Path>,
    annotations: Option<PathBuf>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<i32> {
    let what = "code";
    let study = match Study::open(data_dir, catalogue, annotations, what, err) {
        Ok(s) => s,
        Err(Exit(code)) => return Ok(code),
    };
    let result = match &args.action {
        CodeAction::List => list(&study, out, err),
        CodeAction::Add {
            label,
            class,
            id,
            no,
            definition,
            force,
        } => (|| {
            let cat = read_catalogue(&study, catalogue, what, err)?;
            comments_ok(&cat.text, &cat.path, *force, what, err)?;
            let mut t = cat.terrain.clone();
            let class = match class {
                ClassArg::Obstacle => FeatureClass::Obstacle,
                ClassArg::Enabler => FeatureClass::Enabler,
            };
            let taken: Vec<String> = t
                .all_features()
                .map(|(_, f)| f.id.clone())
                .chain(t.unsorted.iter().map(|f| f.id.clone()))
                .collect();
            let id = id.clone().unwrap_or_else(|| {
                codebook::id_from_label(label, taken.iter().map(String::as_str))
            });
            let code = codebook::new_code(
                &t,
                class,
                &id,
                label,
                no.as_deref().unwrap_or(label),
                definition.as_deref().unwrap_or(""),
            );
            codebook::add(&mut t, class, code).map_err(|e| {
                let (c, m) = error(e);
                fail(err, what, c, &m)
            })?;
            save_catalogue(&cat, &t, what, err)?;
            let (_, f) = t.feature(&id).ok_or(Exit(1))?;
            let _ = writeln!(
                out,
                "added {} '{}' ({}) to {}: {} {} {}",
                class.name(),
                inert(&id),
                inert(label),
                inert(&cat.path.display().to_string()),
                inert(&f.glyph),
                f.color.name(),
                format!("{:?}", f.shape).to_lowercase()
            );
            Ok(())
        })(),
        CodeAction::Rename {
            id,
            label,
            no,
            force,
        } => (|| {
            let cat = read_catalogue(&study, catalogue, what, err)?;
            known(&cat.terrain, id, what, err)?;
            comments_ok(&cat.text, &cat.path, *force, what, err)?;
            let mut t = cat.terrain.clone();
            codebook::rename(&mut t, id, Some(label), no.as_deref()).map_err(|e| {
                let (c, m) = error(e);
                fail(err, what, c, &m)
            })?;
            save_catalogue(&cat, &t, what, err)?;
            let _ = writeln!(out, "renamed '{}' to {}", inert(id), inert(label));
            Ok(())
        })(),
        CodeAction::Merge { from, into, force } => {
            merge(&study, catalogue, from, into, *force, out, err)
        }
        CodeAction::Delete { id, force } => (|| {
            let cat = read_catalogue(&study, catalogue, what, err)?;
            known(&cat.terrain, id, what, err)?;
            comments_ok(&cat.text, &cat.path, *force, what, err)?;
            let journeys: Vec<Journey> = all_journeys(&study, err)
                .into_iter()
                .map(|(_, j)| j)
                .collect();
            let notes = study.notes.all();
            let mut t = cat.terrain.clone();
            codebook::delete(&mut t, id, &journeys, &notes).map_err(|e| {
                let (c, m) = error(e);
                fail(err, what, c, &m)
            })?;
            save_catalogue(&cat, &t, what, err)?;
            let _ = writeln!(out, "deleted code '{}'", inert(id));
            Ok(())
        })(),
    };
    Ok(match result {
        Ok(()) => 0,
        Err(Exit(code)) => code,
    })
}

fn merge(
    study: &Study,
    catalogue: Option<&Path>,
    from: &str,
    into: &str,
    force: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), Exit> {
    let what = "code";
    let cat = read_catalogue(study, catalogue, what, err)?;
    known(&cat.terrain, from, what, err)?;
    known(&cat.terrain, into, what, err)?;
    comments_ok(&cat.text, &cat.path, force, what, err)?;
    let read = all_journeys(study, err);
    let mut journeys: Vec<Journey> = read.iter().map(|(_, j)| j.clone()).collect();
    let mut t = cat.terrain.clone();
    let changed = codebook::merge(&mut t, &mut journeys, from, into).map_err(|e| {
        let (c, m) = error(e);
        fail(err, what, c, &m)
    })?;
    // Every file to be written is checked before any is.
    for id in &changed {
        if let Some((text, _)) = read.iter().find(|(_, j)| j.id == *id) {
            comments_ok(text, &study.path_of(id), force, what, err)?;
        }
    }
    let mut steps = 0;
    for id in &changed {
        let (Some((text, base)), Some(ours)) = (
            read.iter().find(|(_, j)| j.id == *id),
            journeys.iter().find(|j| j.id == *id),
        ) else {
            continue;
        };
        steps += base
            .steps
            .iter()
            .filter(|s| s.codes().any(|c| c == from))
            .count();
        match write::save_journey_merged(&study.path_of(id), Some(text), Some(base), ours) {
            Ok((Saved::Written | Saved::Merged, _, _)) => {}
            Err(e) => {
                return Err(fail(
                    err,
                    what,
                    1,
                    &format!(
                        "{e}; the journeys before it were rewritten and the catalogue was not changed — '{}' still counts as itself; run the merge again",
                        from
                    ),
                ));
            }
        }
    }
    save_catalogue(&cat, &t, what, err)?;
    let notes = study
        .notes
        .all()
        .iter()
        .filter(|(_, _, n)| n.codes.iter().any(|c| c == from))
        .count();
    let _ = writeln!(
        out,
        "merged '{}' into '{}': {steps} step{} in {} journey{} rewritten; '{}' stays as an alias, so {notes} note{} that use{} it count as '{}'",
        inert(from),
        inert(into),
        if steps == 1 { "" } else { "s" },
        changed.len(),
        if changed.len() == 1 { "" } else { "s" },
        inert(from),
        if notes == 1 { "" } else { "s" },
        if notes == 1 { "s" } else { "" },
        inert(into)
    );
    Ok(())
}

/// `terreng code list`: every code by class and category, with its use counted as the
/// analyses count it (an alias's use is its code's), then the aliases and unsorted codes.
fn list(study: &Study, out: &mut impl Write, err: &mut impl Write) -> Result<(), Exit> {
    let t = &study.terrain;
    let journeys: Vec<Journey> = all_journeys(study, err)
        .into_iter()
        .map(|(_, j)| j)
        .collect();
    let mut steps: BTreeMap<&str, usize> = BTreeMap::new();
    for j in &journeys {
        for s in &j.steps {
            let codes: std::collections::BTreeSet<&str> = s.codes().map(|c| t.resolve(c)).collect();
            for c in codes {
                *steps.entry(c).or_default() += 1;
            }
        }
    }
    let all = study.notes.all();
    let mut notes: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, _, n) in &all {
        let codes: std::collections::BTreeSet<&str> =
            n.codes.iter().map(|c| t.resolve(c)).collect();
        for c in codes {
            *notes.entry(c).or_default() += 1;
        }
    }
    let line = |f: &Feature| {
        format!(
            "  {} {:<28} {:>5} {:>5}  {} / {}",
            inert(&f.glyph),
            inert(&f.id),
            steps.get(f.id.as_str()).copied().unwrap_or(0),
            notes.get(f.id.as_str()).copied().unwrap_or(0),
            inert(&f.en),
            inert(&f.no)
        )
    };
    let mut text = format!(
        "  {:<30} {:>5} {:>5}  label (en / no)\n",
        "  id", "steps", "notes"
    );
    for (class, title) in [
        (FeatureClass::Obstacle, "Obstacles"),
        (FeatureClass::Enabler, "Enablers"),
    ] {
        let codes: Vec<&Feature> = t
            .features()
            .filter(|(c, _)| *c == class)
            .map(|(_, f)| f)
            .collect();
        text.push_str(&format!("{title} ({})\n", codes.len()));
        for f in codes
            .iter()
            .filter(|f| f.category.as_deref().and_then(|c| t.category(c)).is_none())
        {
            text.push_str(&line(f));
            text.push('\n');
        }
        for c in &t.categories {
            let under: Vec<&&Feature> = codes
                .iter()
                .filter(|f| f.category.as_deref() == Some(c.id.as_str()))
                .collect();
            if under.is_empty() {
                continue;
            }
            text.push_str(&format!(
                "  [{}] {} / {}\n",
                inert(&c.id),
                inert(&c.en),
                inert(&c.no)
            ));
            for f in under {
                text.push_str("  ");
                text.push_str(&line(f));
                text.push('\n');
            }
        }
        text.push('\n');
    }
    let aliases: Vec<&Feature> = t
        .all_features()
        .map(|(_, f)| f)
        .chain(t.unsorted.iter())
        .filter(|f| f.merged_into.is_some())
        .collect();
    if !aliases.is_empty() {
        text.push_str(&format!(
            "Merged (aliases that count as their code) ({})\n",
            aliases.len()
        ));
        for f in aliases {
            text.push_str(&format!(
                "  {} -> {}  {}\n",
                inert(&f.id),
                inert(t.resolve(&f.id)),
                inert(&f.en)
            ));
        }
        text.push('\n');
    }
    let unsorted: Vec<&Feature> = t
        .unsorted
        .iter()
        .filter(|f| f.merged_into.is_none())
        .collect();
    if !unsorted.is_empty() {
        text.push_str(&format!(
            "Unsorted (not yet obstacles or enablers) ({})\n",
            unsorted.len()
        ));
        for f in unsorted {
            text.push_str(&line(f));
            text.push('\n');
        }
    }
    let _ = write!(out, "{}", text.trim_end());
    let _ = writeln!(out);
    Ok(())
}
