//! `terreng gen`: a deterministic synthetic corpus for measuring terreng at scale.
//!
//! Every journey is built from the bundled journeys' own steps (their narratives, quotes,
//! translations and codes, Norwegian letters and all), so text lengths and the mix of step
//! kinds and terrain are those of the real data; every journey is marked `Hypothetical` so it
//! can never be taken for a documented one. Notes are spread over the analysts and journeys,
//! with codes from the catalogue and text drawn from the bundled narratives. The same
//! parameters and seed always give the same bytes.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;

use crate::model::{Journey, Note, Provenance, Terrain};
use crate::store::{DataSource, annotations, bundled, load};

/// What to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    pub journeys: usize,
    pub steps: usize,
    pub notes: usize,
    pub analysts: usize,
    pub seed: u64,
}

/// What was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Made {
    pub journeys: usize,
    pub steps: usize,
    pub notes: usize,
    pub files: usize,
    pub bytes: u64,
}

/// SplitMix64: small, fast, and the same on every machine, which is all a corpus needs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The name of the `k`-th analyst.
pub fn analyst_name(k: usize) -> String {
    format!("analyst{}", k + 1)
}

/// The id of the `k`-th journey.
pub fn journey_id(k: usize) -> String {
    format!("syn{k:06}")
}

/// Builds the `k`-th synthetic journey of `steps` steps from the bundled journeys.
fn journey(k: usize, steps: usize, templates: &[Journey], rng: &mut Rng) -> Journey {
    let t = &templates[k % templates.len()];
    let pool: Vec<&crate::model::Step> = templates.iter().flat_map(|j| &j.steps).collect();
    let mut j = t.clone();
    j.id = journey_id(k);
    j.title = format!("Synthetic {} — {}", k + 1, t.title);
    j.provenance = Provenance::Hypothetical(format!(
        "made by `terreng gen` from the steps of the bundled journeys (template {}); not a real group",
        t.id
    ));
    j.steps = (0..steps)
        .map(|i| {
            // Mostly the template's own course, now and then a step from anywhere: real
            // sequences, and every kind and code in the corpus.
            let src = if i < t.steps.len() && rng.below(4) != 0 {
                &t.steps[i]
            } else {
                pool[rng.below(pool.len())]
            };
            let mut s = src.clone();
            s.id = format!("s{:02}", i + 1);
            // A position given outright belongs to the template's own layout.
            s.at = None;
            s
        })
        .collect();
    j
}

/// Makes the corpus under `out`: `journeys/<id>.ron`, `assets/terrain.ron` and
/// `annotations/<analyst>/<journey>.ron`. `progress` is called with (done, total) files.
pub fn generate(
    out: &Path,
    p: Params,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<Made> {
    anyhow::ensure!(
        p.journeys > 0 && p.steps > 0,
        "--journeys and --steps must be at least 1"
    );
    anyhow::ensure!(
        p.notes == 0 || p.analysts > 0,
        "notes need at least one analyst (--analysts)"
    );
    let bundled_data = load(&DataSource::Bundled, None);
    let templates = bundled_data.journeys;
    let terrain: Terrain = bundled::terrain();
    let codes: Vec<String> = terrain.features().map(|(_, f)| f.id.clone()).collect();
    let texts: Vec<&str> = templates
        .iter()
        .flat_map(|j| &j.steps)
        .flat_map(|s| {
            std::iter::once(s.narrative.as_str()).chain(s.evidence.iter().map(|e| e.quote.as_str()))
        })
        .collect();

    let jdir = out.join("journeys");
    let adir = out.join("assets");
    std::fs::create_dir_all(&jdir).with_context(|| format!("cannot make {}", jdir.display()))?;
    std::fs::create_dir_all(&adir)?;
    let catalogue = bundled::terrain_text();
    std::fs::write(adir.join("terrain.ron"), catalogue)?;
    let mut made = Made {
        bytes: catalogue.len() as u64,
        files: 1,
        ..Made::default()
    };
    // Notes first decided per (analyst, journey), so each file is written once.
    let mut rng = Rng(p.seed);
    // At most one file per (analyst, journey), and none without a note.
    let mut total_files = p.journeys + p.notes.min(p.analysts * p.journeys);
    let mut done = 0;
    let pretty = ron::ser::PrettyConfig::new().indentor("    ".to_string());
    let mut steps_of = Vec::with_capacity(p.journeys);
    for k in 0..p.journeys {
        let j = journey(k, p.steps, &templates, &mut rng);
        let text = ron::ser::to_string_pretty(&j, pretty.clone())? + "\n";
        std::fs::write(jdir.join(format!("{}.ron", j.id)), &text)?;
        made.bytes += text.len() as u64;
        made.journeys += 1;
        made.steps += j.steps.len();
        made.files += 1;
        steps_of.push(j.steps.len());
        done += 1;
        progress(done, total_files);
    }
    let mut files: BTreeMap<(usize, usize), Vec<Note>> = BTreeMap::new();
    // A fixed start time, one second per note: created times are deterministic.
    let start_ms: u64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    for n in 0..p.notes {
        let analyst = n % p.analysts.max(1);
        let jk = rng.below(p.journeys);
        let step = rng.below(steps_of[jk]);
        let ncodes = 1 + rng.below(3);
        let mut note_codes: Vec<String> = (0..ncodes)
            .map(|_| codes[rng.below(codes.len())].clone())
            .collect();
        note_codes.sort();
        note_codes.dedup();
        let ms = start_ms + n as u64 * 1000;
        let id = ulid::Ulid::from_parts(ms, u128::from(rng.next()) << 16 | n as u128 & 0xffff);
        let time = crate::model::annotation::timestamp(
            std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms),
        );
        let text = texts[rng.below(texts.len())].to_string();
        files.entry((analyst, jk)).or_default().push(Note {
            id: id.to_string(),
            step: format!("s{:02}", step + 1),
            codes: note_codes,
            text,
            created: time.clone(),
            updated: time,
            conflict_of: None,
        });
    }
    total_files = p.journeys + files.len();
    for ((analyst, jk), notes) in files {
        let name = analyst_name(analyst);
        let dir = out.join("annotations").join(&name);
        std::fs::create_dir_all(&dir)?;
        let by_id: BTreeMap<String, Note> = notes.into_iter().map(|n| (n.id.clone(), n)).collect();
        made.notes += by_id.len();
        let bytes = annotations::to_bytes(&name, &journey_id(jk), &by_id)
            .map_err(|e| anyhow::anyhow!(e))?;
        std::fs::write(dir.join(format!("{}.ron", journey_id(jk))), &bytes)?;
        made.bytes += bytes.len() as u64;
        made.files += 1;
        done += 1;
        progress(done, total_files);
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rng_is_the_published_splitmix64() {
        // The first outputs of SplitMix64 seeded with 0 (Vigna's reference implementation).
        let mut r = Rng(0);
        assert_eq!(r.next(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(r.next(), 0x6e78_9e6a_a1b9_65f4);
    }
}
