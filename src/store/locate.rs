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
