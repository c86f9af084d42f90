//! A study of one's own: `study.ron` at the top of a study folder, made by `terreng new`.
//!
//! Plain data: the title and the languages of the sources and of the translations. It holds no
//! paths and does no I/O; the folder layout is the store's business.

use serde::{Deserialize, Serialize};

/// What `study.ron` says about the study.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Study {
    pub title: String,
    /// The language the sources are in, as a BCP 47 tag (`nb`, `nn`, `en`).
    pub source_language: String,
    /// The language quotes are translated into (`en`).
    pub translation_language: String,
    /// A line or two on what the study is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who runs the study.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// When the folder was made (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

impl Study {
    /// A new study with Norwegian Bokmål sources translated into English, the common case.
    pub fn new(title: impl Into<String>) -> Study {
        Study {
            title: title.into(),
            source_language: "nb".to_string(),
            translation_language: "en".to_string(),
            description: None,
            authors: Vec::new(),
            created: None,
        }
    }
}
