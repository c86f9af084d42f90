//! A problem found while loading: where it is (`path:line:col`) and what is wrong.

use std::fmt;

use crate::text::inert;

/// One problem in one file, with its position when it has one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, thiserror::Error)]
pub struct Problem {
    /// The file as the user named it (`journeys/g06.ron`).
    pub path: String,
    /// 1-based line and column (in characters), when the problem has a place in the text.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl Problem {
    pub fn new(
        path: impl Into<String>,
        at: Option<(usize, usize)>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            path: path.into(),
            at,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Paths and messages quote names from files and arguments: never raw to a terminal,
        // and a CR or LF in one cannot start a line of its own.
        let (path, message) = (inert(&self.path), inert(&self.message));
        match self.at {
            Some((line, col)) => write!(f, "{path}:{line}:{col}: {message}"),
            None => write!(f, "{path}: {message}"),
        }
    }
}
