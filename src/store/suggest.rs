//! "Did you mean …?": the nearest known name to a misspelt one.

/// The known name closest to `found`, if it is close enough to be a likely misspelling.
pub fn nearest<'a>(found: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (found.chars().count() / 3).max(2);
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(found, k), k))
        .filter(|&(d, _)| d > 0 && d <= limit)
        .min_by_key(|&(d, k)| (d, k))
        .map(|(_, k)| k)
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
    }
}
