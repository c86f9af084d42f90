//! Finding where a value stands in a RON text, so that a problem found after parsing (an
//! unknown id, a duplicate) can still be reported as `path:line:col`.
//!
//! RON's deserializer keeps no positions for values, so this searches the text: for a key, or
//! for a string literal after some anchor (the step it belongs to). It is used only to point at
//! problems, never to read data.

/// Line and column (1-based, column in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Line and column of many offsets in one text: the line starts found once (on first use), then
/// each offset is placed by a binary search and its column counted within its own line, so
/// that locating n problems costs O(text + n log lines), not O(n × text).
pub struct LineIndex<'t> {
    text: &'t str,
    starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        LineIndex {
            text,
            starts: std::cell::OnceCell::new(),
        }
    }

    /// What [`line_col`] gives for the same text and offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        // The last line start at or before the offset.
        let line = starts.partition_point(|&s| s <= offset);
        let start = starts[line - 1];
        (line, text[start..offset].chars().count() + 1)
    }
}

/// The byte offset of the string literal `"value"` at or after `from`, as RON would write it.
pub fn find_string(text: &str, value: &str, from: usize) -> Option<usize> {
    let literal = format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""));
    text.get(from..)?.find(&literal).map(|i| from + i)
}

/// The byte offset of `key:` (a field name followed by a colon) at or after `from`.
pub fn find_key(text: &str, key: &str, from: usize) -> Option<usize> {
    let mut start = from;
    while let Some(i) = text.get(start..)?.find(key) {
        let at = start + i;
        let before_ok = at == 0
            || !text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
        let after = text[at + key.len()..].trim_start();
        if before_ok && after.starts_with(':') {
            return Some(at);
        }
        start = at + key.len();
    }
    None
}

/// Offsets of the steps of a journey text, in order: the position of each step's `id` value.
/// `ids` are the step ids as parsed; a step whose id cannot be found gets the last offset found.
pub fn step_offsets(text: &str, ids: &[&str]) -> Vec<usize> {
    let mut from = find_key(text, "steps", 0).unwrap_or(0);
    ids.iter()
        .map(|id| {
            let found = find_key(text, "id", from)
                .and_then(|key| find_string(text, id, key))
                .unwrap_or(from);
            from = found + 1;
            found
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\nøæå x";
        let x = text.find('x').unwrap();
        assert_eq!(line_col(text, x), (2, 5));
        assert_eq!(line_col(text, 0), (1, 1));
    }

    #[test]
    fn the_index_places_every_offset_as_line_col_does() {
        let text = "ab\nøæå x\n\n(\n  y: \"z\")\n";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 3 {
            assert_eq!(index.line_col(offset), line_col(text, offset), "{offset}");
        }
        // "x" is on line 2 after five characters (three of them two bytes each).
        assert_eq!(index.line_col(text.find('x').unwrap()), (2, 5));
    }

    #[test]
    fn find_key_skips_longer_names() {
        let text = "(steps_x: 1, steps: [])";
        assert_eq!(find_key(text, "steps", 0), Some(13));
    }

    #[test]
    fn step_offsets_follow_each_step_in_order() {
        let text = "(id: \"s01\", steps: [(id: \"s01\"), (id: \"s02\"), (id: \"s01\")])";
        let offsets = step_offsets(text, &["s01", "s02", "s01"]);
        assert_eq!(offsets.len(), 3);
        assert!(offsets[0] > text.find("steps").unwrap());
        assert!(offsets[1] > offsets[0] && offsets[2] > offsets[1]);
    }
}
