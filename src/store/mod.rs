//! Loading journeys and the catalogue from disk or from the copy bundled into the binary,
//! with every problem located as `path:line:col: message`.
//!
//! Loading never stops at the first bad file: [`load`] returns the journeys that are good and
//! the list of problems, so that one broken file leaves the rest usable. Nothing here panics on
//! any input. Only three modules write, each atomically: [`annotations`] an analyst's own
//! annotation files, [`study`] a new study folder, and [`sources`] the study's sources (and the
//! spans `check --fix` corrects).

pub mod annotations;
pub mod bundled;
pub mod fs;
pub mod locate;
pub mod parse;
#[cfg(test)]
mod powercut;
pub mod problem;
pub mod sources;
pub mod study;
pub mod suggest;
pub mod synthetic;
pub mod validate;
pub mod warm;
pub mod write;

use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use problem::Problem;

use crate::model::{Journey, Terrain, tight};

/// Where journeys are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataSource {
    /// The `journeys/` and `assets/` compiled into the binary.
    Bundled,
    /// A folder of journey files (or a folder holding `journeys/`).
    Dir(PathBuf),
}

impl DataSource {
    /// What the user asked for, or else `./journeys` where it exists, or else the bundled data.
    pub fn resolve(asked: Option<PathBuf>) -> DataSource {
        match asked {
            Some(dir) => DataSource::Dir(dir),
            None if Path::new("journeys").is_dir() => DataSource::Dir(PathBuf::from("journeys")),
            None => DataSource::Bundled,
        }
    }

    /// Where annotations go by default: `annotations/` beside the journeys folder (inside a
    /// folder that holds `journeys/`), or for the bundled journeys the user's data folder.
    pub fn default_annotations(&self) -> Option<PathBuf> {
        match self {
            DataSource::Dir(dir) if dir.join("journeys").is_dir() => Some(dir.join("annotations")),
            DataSource::Dir(dir) => {
                let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
                Some(parent.unwrap_or(Path::new(".")).join("annotations"))
            }
            DataSource::Bundled => directories::ProjectDirs::from("", "", "terreng")
                .map(|d| d.data_dir().join("annotations")),
        }
    }

    /// The folder that holds `journeys/` (and in a study, `sources/` and `study.ron`): the
    /// folder given when it holds `journeys/`, else the journeys folder's parent.
    pub fn study_root(&self) -> Option<PathBuf> {
        match self {
            DataSource::Dir(dir) if dir.join("journeys").is_dir() => Some(dir.clone()),
            DataSource::Dir(dir) => {
                let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
                Some(parent.unwrap_or(Path::new(".")).to_path_buf())
            }
            DataSource::Bundled => None,
        }
    }

    /// A short description for status lines and summaries.
    pub fn describe(&self) -> String {
        match self {
            DataSource::Bundled => "the bundled journeys".to_string(),
            DataSource::Dir(dir) => dir.display().to_string(),
        }
    }
}

/// Everything loaded: the catalogue, the good journeys, and every problem found.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub terrain: Terrain,
    pub journeys: Vec<Journey>,
    pub problems: Vec<Problem>,
    pub source: DataSource,
}

impl Dataset {
    pub fn step_count(&self) -> usize {
        self.journeys.iter().map(|j| j.steps.len()).sum()
    }

    /// The journeys' ids, in the study's order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.journeys.iter().map(|j| j.id.as_str())
    }

    pub fn journey(&self, id: &str) -> Option<&Journey> {
        self.journeys.iter().find(|j| j.id == id)
    }

    /// "26 journeys, 241 steps, 0 problems".
    pub fn summary(&self) -> String {
        use crate::text::plural;
        format!(
            "{}, {}, {}",
            plural(self.journeys.len(), "journey", "journeys"),
            plural(self.step_count(), "step", "steps"),
            plural(self.problems.len(), "problem", "problems")
        )
    }
}

/// Loads a data source. `catalogue` names a catalogue file to use instead of the one found
/// beside the journeys (or the bundled one).
pub fn load(source: &DataSource, catalogue: Option<&Path>) -> Dataset {
    finish(open(source, catalogue))
}

/// [`load`] for a command that reads only the steps' ids and codes (`agree`): each step's
/// title, narrative and evidence are dropped as soon as its file is parsed and checked, on the
/// thread that parsed it, so that the study's words are never all held at once. The problems
/// are those [`load`] finds.
pub fn load_codes(source: &DataSource, catalogue: Option<&Path>) -> Dataset {
    finish_with(open(source, catalogue), true)
}

/// Reads, parses and validates every journey file of an opened source.
pub fn finish(opened: Opened) -> Dataset {
    finish_with(opened, false)
}

fn finish_with(mut opened: Opened, lean: bool) -> Dataset {
    let files = std::mem::take(&mut opened.files);
    let mut journeys = Vec::with_capacity(files.len());
    let mut seen = Seen::default();
    for result in read_and_parse_with(&files, &opened.data.terrain, None, lean) {
        seen.take(result, &mut journeys, &mut opened.data.problems);
    }
    opened.data.journeys = journeys;
    sources::derive_locators(&mut opened.data);
    opened.data
}

/// A data source opened for loading: the catalogue read, the journey files listed (not read).
pub struct Opened {
    /// The catalogue and the problems met so far; no journeys yet.
    pub data: Dataset,
    /// The journey files, in the order they load.
    pub files: Vec<RawFile>,
}

/// Reads the catalogue of a data source and lists its journey files, which
/// [`read_and_parse`] then loads, all at once or a batch at a time.
pub fn open(source: &DataSource, catalogue: Option<&Path>) -> Opened {
    let mut problems = Vec::new();
    let (dir, files): (Option<&PathBuf>, Vec<RawFile>) = match source {
        DataSource::Bundled => (None, bundled::journeys().collect()),
        DataSource::Dir(dir) => {
            let journeys_dir = journeys_folder(dir);
            let files = list_folder(&journeys_dir, &mut problems);
            (Some(dir), files)
        }
    };

    let catalogue_file = catalogue
        .map(Path::to_path_buf)
        .or_else(|| dir.and_then(|d| find_catalogue(d)));
    let terrain = match catalogue_file {
        Some(file) => {
            let name = file.display().to_string();
            // A regular file within the size limit only: a FIFO or a device is never read.
            let cannot =
                |why: String| vec![Problem::new(&name, None, format!("cannot read: {why}"))];
            let loaded = match fs::read_regular(&file, parse::MAX_FILE_BYTES as u64) {
                Ok(Some(bytes)) => terrain_from_bytes(&name, &bytes),
                Ok(None) => Err(cannot("no such file".to_string())),
                Err(e) => Err(cannot(e.to_string())),
            };
            match loaded {
                Ok(t) => t,
                Err(mut ps) => {
                    ps.push(Problem::new(
                        &name,
                        None,
                        "the catalogue could not be used; the bundled catalogue stands in",
                    ));
                    problems.append(&mut ps);
                    bundled::terrain()
                }
            }
        }
        None => bundled::terrain(),
    };
    Opened {
        data: Dataset {
            terrain,
            journeys: Vec::new(),
            problems,
            source: source.clone(),
        },
        files,
    }
}

/// The folder holding the journey files: `dir/journeys` where it exists, else `dir` itself.
pub fn journeys_folder(dir: &Path) -> PathBuf {
    let inner = dir.join("journeys");
    if inner.is_dir() {
        inner
    } else {
        dir.to_path_buf()
    }
}

/// The catalogue of a data folder: the study's own (see [`own_catalogues`]), or else the
/// `../assets/terrain.ron` beside the journeys folder.
fn find_catalogue(dir: &Path) -> Option<PathBuf> {
    let shared = journeys_folder(dir)
        .join("..")
        .join("assets")
        .join("terrain.ron");
    own_catalogues(dir)
        .into_iter()
        .chain([shared])
        .find(|p| p.is_file())
}

/// Where a data folder's own catalogue can be, in the order looked at: `terrain.ron` in the
/// journeys folder, then `terrain.ron` in the study folder that holds it (the folder given,
/// when it holds `journeys/`, or the parent of a folder named `journeys`).
pub fn own_catalogues(dir: &Path) -> Vec<PathBuf> {
    let journeys_dir = journeys_folder(dir);
    let mut out = vec![journeys_dir.join("terrain.ron")];
    if journeys_dir != dir {
        out.push(dir.join("terrain.ron"));
    } else if dir.file_name().is_some_and(|n| n == "journeys") {
        let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
        out.push(parent.unwrap_or(Path::new(".")).join("terrain.ron"));
    }
    out
}

/// One file to load: its display name, its stem, and where its bytes come from.
pub struct RawFile {
    pub name: String,
    pub stem: String,
    pub bytes: Bytes,
}

/// A file's bytes: held already (bundled), to be read from a path, or why they cannot be.
pub enum Bytes {
    Held(Vec<u8>),
    Path(PathBuf),
    Unreadable(String),
}

impl RawFile {
    fn read(&self) -> Result<std::borrow::Cow<'_, [u8]>, String> {
        match &self.bytes {
            Bytes::Held(b) => Ok(std::borrow::Cow::Borrowed(b)),
            // A regular file within the size limit only: a FIFO or a device is never read.
            Bytes::Path(p) => match fs::read_regular(p, parse::MAX_FILE_BYTES as u64) {
                Ok(Some(bytes)) => Ok(std::borrow::Cow::Owned(bytes)),
                Ok(None) => Err("cannot read: the file is gone".to_string()),
                Err(e) => Err(format!("cannot read: {e}")),
            },
            Bytes::Unreadable(why) => Err(why.clone()),
        }
    }
}

/// Lists every `*.ron` entry of a folder, sorted by name, without reading it. Entries that
/// are not files are reported when loaded, as is a folder that cannot be read now.
fn list_folder(dir: &Path, problems: &mut Vec<Problem>) -> Vec<RawFile> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(Problem::new(
                dir.display().to_string(),
                None,
                format!("cannot read the folder: {e}"),
            ));
            return Vec::new();
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.starts_with('.')
                && p.extension().is_some_and(|e| e == "ron")
                && name != "terrain.ron"
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path.display().to_string();
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes = if path.is_dir() {
                Bytes::Unreadable("is a directory, not a journey file".to_string())
            } else {
                Bytes::Path(path)
            };
            RawFile { name, stem, bytes }
        })
        .collect()
}

/// One file read and parsed: the journey with the problems in it, or why there is none.
pub type ParsedFile = (String, Result<(Journey, Vec<Problem>), Problem>);

/// Reads, parses and validates journey files on every core, in order. Each file stands alone;
/// what concerns several ([`Seen`]) comes after.
pub fn read_and_parse(files: &[RawFile], terrain: &Terrain) -> Vec<ParsedFile> {
    read_and_parse_warm(files, terrain, None)
}

/// [`read_and_parse`], each journey taken from the warm start where it is there and kept in it
/// where it is not.
pub fn read_and_parse_warm(
    files: &[RawFile],
    terrain: &Terrain,
    warm: Option<&warm::Warm>,
) -> Vec<ParsedFile> {
    read_and_parse_with(files, terrain, warm, false)
}

/// [`read_and_parse_warm`]; where `lean`, each step's title, narrative and evidence are
/// dropped on the thread that parsed and checked its file (see [`load_codes`]).
fn read_and_parse_with(
    files: &[RawFile],
    terrain: &Terrain,
    warm: Option<&warm::Warm>,
    lean: bool,
) -> Vec<ParsedFile> {
    files
        .par_iter()
        .map(|file| {
            let mut result = match file.read() {
                Ok(bytes) => journey_with(&file.name, &file.stem, &bytes, terrain, warm),
                Err(why) => Err(Problem::new(&file.name, None, why)),
            };
            if let (true, Ok((journey, _))) = (lean, &mut result) {
                for step in &mut journey.steps {
                    step.title = String::new();
                    step.narrative = String::new();
                    step.evidence = Vec::new();
                }
            }
            (file.name.clone(), result)
        })
        .collect()
}

/// The journeys taken so far, by id, to refuse a second journey with the same id.
#[derive(Debug, Default)]
pub struct Seen {
    by_id: HashMap<String, String>,
}

impl Seen {
    /// Takes one parsed file: its problems into `problems`, its journey into `journeys` unless
    /// it is unusable or its id was taken already.
    pub fn take(
        &mut self,
        (name, result): ParsedFile,
        journeys: &mut Vec<Journey>,
        problems: &mut Vec<Problem>,
    ) {
        match result {
            Ok((journey, mut ps)) => {
                let unusable = journey.steps.is_empty() || !validate::is_valid_id(&journey.id);
                problems.append(&mut ps);
                if let Some(first) = self.by_id.get(&journey.id) {
                    problems.push(Problem::new(
                        &name,
                        None,
                        format!("duplicate journey id '{}' (also in {first})", journey.id),
                    ));
                } else if !unusable {
                    self.by_id.insert(journey.id.clone(), name);
                    journeys.push(journey);
                }
            }
            Err(p) => problems.push(p),
        }
    }
}

/// Parses and validates one journey file. `Err` when it cannot be read at all; otherwise the
/// journey with the problems found in it.
pub fn journey_from_bytes(
    name: &str,
    stem: &str,
    bytes: &[u8],
    terrain: &Terrain,
) -> Result<(Journey, Vec<Problem>), Problem> {
    journey_with(name, stem, bytes, terrain, None)
}

/// [`journey_from_bytes`], the parse taken from the warm start where it is there.
fn journey_with(
    name: &str,
    stem: &str,
    bytes: &[u8],
    terrain: &Terrain,
    warm: Option<&warm::Warm>,
) -> Result<(Journey, Vec<Problem>), Problem> {
    let text = parse::as_text(name, bytes, "Journey")?;
    let journey: Journey = warm::through(warm, warm::Kind::Journey, &[], bytes, || {
        parse::parse(name, text).map(tight)
    })?;
    let problems = validate::journey(name, stem, text, &journey, terrain);
    Ok((journey, problems))
}

/// Parses and validates a catalogue file.
pub fn terrain_from_bytes(name: &str, bytes: &[u8]) -> Result<Terrain, Vec<Problem>> {
    let text = parse::as_text(name, bytes, "Terrain").map_err(|p| vec![p])?;
    let terrain: Terrain = parse::parse(name, text).map_err(|p| vec![p])?;
    let problems = validate::terrain(name, text, &terrain);
    if problems.is_empty() {
        Ok(terrain)
    } else {
        Err(problems)
    }
}
