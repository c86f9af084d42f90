//! "Did you mean …?": the nearest known name to a misspelt one.

/// Names longer than this are no misspelling of an id: no suggestion is looked for, so that a
/// hostile 10 MB "id" costs nothing.
pub const LONGEST: usize = 128;

/// The known name closest to `found`, if it is close enough to be a likely misspelling: within
/// a third of its length (at least 2) by the optimal-string-alignment distance (Levenshtein
/// with adjacent transpositions, each substring edited once: no allocation per pair, unlike
/// unrestricted Damerau–Levenshtein). A name whose length
/// differs by more than that cannot be within it, and is not compared.
pub fn nearest<'a>(found: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = found.chars().count();
    if len > LONGEST {
        return None;
    }
    let limit = (len / 3).max(2);
    let mine = histogram(found);
    known
        .into_iter()
        .filter(|k| k.chars().count().abs_diff(len) <= limit)
        // Each edit changes at most one letter in and one out, so the letters one name has
        // and the other lacks bound the distance from below: most names are ruled out here,
        // without the distance's table.
        .filter(|k| lower_bound(&mine, &histogram(k)) <= limit)
        .map(|k| (strsim::osa_distance(found, k), k))
        .filter(|&(d, _)| d > 0 && d <= limit)
        .min_by_key(|&(d, k)| (d, k))
        .map(|(_, k)| k)
}

/// How many times each letter occurs (letters beyond ASCII share one count, which keeps the
/// bound below a bound).
fn histogram(s: &str) -> [u16; 128] {
    let mut h = [0u16; 128];
    for c in s.chars() {
        let i = if c.is_ascii() { c as usize } else { 127 };
        h[i] = h[i].saturating_add(1);
    }
    h
}

/// A lower bound of the edit distance between two names from their letter counts: the larger
/// of the letters the first has in excess and those the second has.
fn lower_bound(a: &[u16; 128], b: &[u16; 128]) -> usize {
    let (mut more, mut fewer) = (0usize, 0usize);
    for (x, y) in a.iter().zip(b) {
        if x > y {
            more += usize::from(x - y);
        } else {
            fewer += usize::from(y - x);
        }
    }
    more.max(fewer)
}

/// `" — did you mean 'x'?"`, or nothing when no known name is close.
pub fn did_you_mean<'a>(found: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    nearest(found, known)
        .map(|k| format!(" — did you mean '{k}'?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_name_within_reach() {
        let known = ["tacit_resistance", "time_scarcity", "thumbs_up"];
        assert_eq!(nearest("tacit_resistence", known), Some("tacit_resistance"));
        assert_eq!(nearest("thumbsup", known), Some("thumbs_up"));
        assert_eq!(nearest("completely_else", known), None);
        assert_eq!(
            nearest("thumbs_up", known),
            None,
            "an exact name needs no suggestion"
        );
        // Too long to be a misspelt id: not compared at all.
        let long = "tacit_resistance".repeat(10);
        assert_eq!(nearest(&long, [long.as_str()]), None);
        // A name shorter or longer by more than the limit is never suggested.
        assert_eq!(nearest("abcdefghi", ["abcdefghijklm"]), None);
        assert_eq!(nearest("abcdefghi", ["abcdefghijk"]), Some("abcdefghijk"));
    }

    #[test]
    fn the_letter_count_bound_never_exceeds_the_distance() {
        // "kitten" → "sitting" is 3 edits (k→s, e→i, +g); the letters: kitten has k, e in
        // excess (2), sitting has s, i, g (3): the bound is 3.
        let (a, b) = ("kitten", "sitting");
        assert_eq!(lower_bound(&histogram(a), &histogram(b)), 3);
        assert_eq!(strsim::osa_distance(a, b), 3);
        // A transposition keeps the letters: bound 0, distance 1.
        assert_eq!(lower_bound(&histogram("ab"), &histogram("ba")), 0);
        for (a, b) in [
            ("tacit", "tacet"),
            ("ø", "å"),
            ("", "abc"),
            ("mandat", "mandate"),
        ] {
            assert!(lower_bound(&histogram(a), &histogram(b)) <= strsim::osa_distance(a, b));
        }
    }
}
