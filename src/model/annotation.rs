//! Annotations: an analyst's notes and codes on the steps of a journey.
//!
//! One file per analyst per journey (`annotations/<analyst>/<journey-id>.ron`), its notes sorted
//! by step then id, so that adding a note adds a few lines to a diff and two analysts never
//! edit the same file. A note's codes are catalogue ids: the analyst's coding of the step.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

/// One analyst's notes on one journey: the content of one annotation file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotations {
    pub analyst: String,
    pub journey: String,
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// A note on a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// A ULID: unique, and sortable by the time it was made.
    pub id: String,
    /// The step's id in its journey.
    pub step: String,
    /// Catalogue ids of obstacles and enablers.
    #[serde(default)]
    pub codes: Vec<String>,
    /// Free text, any number of lines.
    #[serde(default)]
    pub text: String,
    /// RFC 3339, UTC, whole seconds.
    pub created: String,
    pub updated: String,
    /// Set on a note that holds the losing side of a conflict: the id of the note that two
    /// windows edited at once. The analyst reads both and keeps what is right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict_of: Option<String>,
}

impl Note {
    /// A new note on `step`, made now.
    pub fn new(step: &str, codes: Vec<String>, text: String) -> Note {
        let now = timestamp(SystemTime::now());
        Note {
            id: new_id(),
            step: step.to_string(),
            codes,
            text,
            created: now.clone(),
            updated: now,
            conflict_of: None,
        }
    }

    /// The same note with its text and codes as given, marked as updated now.
    pub fn edited(&self, codes: Vec<String>, text: String) -> Note {
        Note {
            codes,
            text,
            updated: timestamp(SystemTime::now()),
            ..self.clone()
        }
    }
}

impl Annotations {
    pub fn new(analyst: &str, journey: &str) -> Annotations {
        Annotations {
            analyst: analyst.to_string(),
            journey: journey.to_string(),
            notes: Vec::new(),
        }
    }

    /// Puts the notes in file order: by step, then by id (so by time of making).
    pub fn sort(&mut self) {
        self.notes
            .sort_by(|a, b| a.step.cmp(&b.step).then_with(|| a.id.cmp(&b.id)));
    }
}

/// A fresh ULID as text; within one process each id sorts after the one before, even inside
/// one millisecond.
pub fn new_id() -> String {
    static GENERATOR: std::sync::Mutex<Option<ulid::Generator>> = std::sync::Mutex::new(None);
    let mut generator = GENERATOR.lock().unwrap_or_else(|e| e.into_inner());
    let generated = generator
        .get_or_insert_with(ulid::Generator::new)
        .generate();
    // The random part overflows only after 2^80 ids in one millisecond.
    generated
        .unwrap_or_else(|_| ulid::Ulid::generate())
        .to_string()
}

/// RFC 3339 in UTC with whole seconds: `2026-11-23T10:02:11Z`.
pub fn timestamp(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// Checks an analyst's name: it becomes a folder name, so it may hold only letters, digits,
/// `-`, `_` and `.`, must not be `.` or `..` or start with a dot, and is at most 64 characters.
pub fn check_analyst(name: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    if name.is_empty() {
        return Err("the analyst's name is empty".to_string());
    }
    if let Some(c) = name.chars().find(|c| !allowed(*c)) {
        // The name itself is shown with the bad characters as '?', never raw.
        let shown: String = name
            .chars()
            .map(|c| if allowed(c) { c } else { '?' })
            .collect();
        return Err(format!(
            "the analyst's name '{shown}' holds '{}'; use letters, digits, '-', '_' and '.'",
            c.escape_default()
        ));
    }
    if name.chars().count() > 64 {
        return Err(format!("the analyst's name '{name}' is over 64 characters"));
    }
    if name.len() > MAX_ANALYST_BYTES {
        return Err(format!(
            "the analyst's name '{name}' is {} bytes in UTF-8; a folder name allows {MAX_ANALYST_BYTES}",
            name.len()
        ));
    }
    if name.starts_with('.') {
        return Err(format!(
            "the analyst's name '{name}' starts with a dot; it names a folder and must not be hidden or '..'"
        ));
    }
    Ok(())
}

/// The longest analyst name in bytes: it names a folder, and file systems allow 255 bytes in a
/// name; kept well under so that any file system, and a path to it, takes it.
pub const MAX_ANALYST_BYTES: usize = 128;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analyst_names_cannot_leave_the_annotations_folder() {
        for ok in ["hh", "Hege.Hauge", "a-b_c", "Åse", "x1"] {
            assert_eq!(check_analyst(ok), Ok(()), "{ok}");
        }
        for bad in [
            "", ".", "..", "../x", "a/b", "a\\b", ".hidden", "a b", "a\0b", "C:x",
        ] {
            assert!(check_analyst(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(check_analyst(&"a".repeat(65)).is_err());
        // 64 letters of four bytes each: few enough letters, too many bytes for a folder name.
        assert!(
            check_analyst(&"𝒜".repeat(64))
                .unwrap_err()
                .contains("256 bytes")
        );
        assert_eq!(check_analyst(&"ø".repeat(64)), Ok(()));
    }

    #[test]
    fn ids_sort_by_time_and_timestamps_are_rfc3339_utc() {
        let a = new_id();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = new_id();
        assert!(a < b, "{a} !< {b}");
        assert_eq!(a.len(), 26);
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_795_428_131);
        assert_eq!(timestamp(t), "2026-11-23T10:02:11Z");
    }

    #[test]
    fn notes_sort_by_step_then_id() {
        let mut a = Annotations::new("hh", "g06");
        for (id, step) in [("03", "s02"), ("01", "s10"), ("02", "s02")] {
            a.notes.push(Note {
                id: id.into(),
                step: step.into(),
                codes: vec![],
                text: String::new(),
                created: String::new(),
                updated: String::new(),
                conflict_of: None,
            });
        }
        a.sort();
        let order: Vec<_> = a.notes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(order, ["02", "03", "01"]);
    }
}
