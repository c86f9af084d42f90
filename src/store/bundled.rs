//! The journeys and catalogue compiled into the binary, so that terreng works from any
//! directory with no files around it. `build.rs` lists the files; this module serves them.

use crate::model::Terrain;
use crate::store::RawFile;

mod files {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

/// The bundled catalogue text (`assets/terrain.ron`).
pub const TERRAIN_RON: &str = files::TERRAIN;

/// The bundled journey files, as (`journeys/<name>.ron`, text), sorted by name.
pub fn journey_texts() -> &'static [(&'static str, &'static str)] {
    files::JOURNEYS
}

/// The bundled journey files, ready for [`crate::store::read_and_parse`].
pub fn journeys() -> impl Iterator<Item = RawFile> {
    files::JOURNEYS.iter().map(|(name, text)| RawFile {
        name: (*name).to_string(),
        stem: name
            .trim_start_matches("journeys/")
            .trim_end_matches(".ron")
            .to_string(),
        bytes: crate::store::Bytes::Held(text.as_bytes().to_vec()),
    })
}

/// The bundled catalogue's text, as `assets/terrain.ron` holds it.
pub fn terrain_text() -> &'static str {
    TERRAIN_RON
}

/// The bundled catalogue. It is checked by the test suite, so a failure here is a build defect;
/// even then an empty catalogue is returned rather than a panic.
pub fn terrain() -> Terrain {
    crate::store::terrain_from_bytes("assets/terrain.ron", TERRAIN_RON.as_bytes()).unwrap_or(
        Terrain {
            obstacles: Vec::new(),
            enablers: Vec::new(),
            themes: Vec::new(),
            unsorted: Vec::new(),
            index: Default::default(),
        },
    )
}
