//! REFI-QDA projects in.

use std::path::Path;

use super::Source;

/// What a project brought in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub sources: Vec<String>,
    pub codes: usize,
    pub passages: usize,
}

pub fn import(
    _dir: &Path,
    _bytes: &[u8],
    _sha: &str,
    _existing: &[Source],
    _terrain: &Path,
) -> anyhow::Result<Imported> {
    anyhow::bail!("not yet")
}
