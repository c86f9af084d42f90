//! Finding a quote in its source text: at its span, elsewhere exactly, elsewhere once white
//! space, soft hyphens and line-end hyphenation are normalised, or approximately; and when it
//! is nowhere, the closest passage.
//!
//! Positions are code points of the source text. A quote may leave words out with `…` (or
//! `[…]`): its pieces must then come in order, and its span runs from the first piece to the
//! end of the last. The approximate match is Sellers' (1980) approximate substring matching:
//! the Levenshtein distance between the quote and the best-matching stretch of the text, any
//! start and end, in O(text × quote) time and O(quote) memory; the similarity is
//! `1 − distance / quote length`. Pure functions: no files, no printing.

/// The similarity from which an approximate match counts as found.
pub const FUZZY_FOUND: f64 = 0.9;

/// How a quote was found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum How {
    /// At the span the evidence gives.
    AtSpan,
    /// Character for character.
    Exact,
    /// With white space, soft hyphens and line-end hyphenation normalised.
    Normalised,
    /// Approximately, with this similarity (at least [`FUZZY_FOUND`]).
    Fuzzy(f64),
}

/// What the search found.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// The quote, at `span`, found as `how`.
    Yes { span: (usize, usize), how: How },
    /// Not found; the closest stretch of text and its similarity.
    No { closest: (usize, usize), score: f64 },
}

/// A source text prepared for searching: its characters, and two normalised forms, each with
/// the position in the text of every character.
pub struct Prepared {
    text: String,
    chars: Vec<char>,
    /// Byte offset of every character, and the length at the end, for exact search.
    bytes: Vec<usize>,
    plain: Normal,
    joined: Normal,
}

struct Normal {
    chars: Vec<char>,
    /// `at[i]`: where in the text normalised character `i` comes from.
    at: Vec<usize>,
}

impl Normal {
    /// Normalises `chars`: soft hyphens dropped, every run of white space one space, and with
    /// `join`, a hyphen at a line end between two letters dropped with the break.
    fn new(chars: &[char], join: bool) -> Normal {
        let mut out = Normal {
            chars: Vec::with_capacity(chars.len()),
            at: Vec::with_capacity(chars.len()),
        };
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\u{ad}' {
                i += 1;
                continue;
            }
            if join && c == '-' && i > 0 && chars[i - 1].is_alphanumeric() {
                let mut k = i + 1;
                while k < chars.len() && (chars[k].is_whitespace() || chars[k] == '\u{ad}') {
                    k += 1;
                }
                if chars[i + 1..k].contains(&'\n') && k < chars.len() && chars[k].is_alphanumeric()
                {
                    i = k;
                    continue;
                }
            }
            if c.is_whitespace() {
                if out.chars.last().is_some_and(|&l| l != ' ') {
                    out.chars.push(' ');
                    out.at.push(i);
                }
                while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '\u{ad}') {
                    i += 1;
                }
                continue;
            }
            out.chars.push(c);
            out.at.push(i);
            i += 1;
        }
        if out.chars.last() == Some(&' ') {
            out.chars.pop();
            out.at.pop();
        }
        out
    }

    /// The text span of normalised characters `from..to`.
    fn span(&self, from: usize, to: usize) -> (usize, usize) {
        let start = self.at.get(from).copied().unwrap_or(0);
        let end = if to > from {
            self.at.get(to - 1).map_or(start, |&e| e + 1)
        } else {
            start
        };
        (start, end)
    }

    /// The first normalised position at or after text position `pos`.
    fn index_of(&self, pos: usize) -> usize {
        self.at.partition_point(|&a| a < pos)
    }
}

impl Prepared {
    pub fn new(text: &str) -> Prepared {
        let chars: Vec<char> = text.chars().collect();
        let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        bytes.push(text.len());
        Prepared {
            plain: Normal::new(&chars, false),
            joined: Normal::new(&chars, true),
            text: text.to_string(),
            chars,
            bytes,
        }
    }

    /// The number of code points.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The text of a span (clamped to the text).
    pub fn slice(&self, (start, end): (usize, usize)) -> String {
        let end = end.min(self.chars.len());
        let start = start.min(end);
        self.chars[start..end].iter().collect()
    }

    fn char_of_byte(&self, b: usize) -> usize {
        self.bytes.partition_point(|&x| x < b)
    }

    /// Finds `quote` from text position `from` on.
    pub fn find(&self, quote: &str, span: Option<(usize, usize)>) -> Found {
        let pieces = pieces(quote);
        if pieces.is_empty() {
            return Found::No {
                closest: (0, 0),
                score: 0.0,
            };
        }
        if let Some(span) = span
            && self.is_at(&pieces, span)
        {
            return Found::Yes {
                span,
                how: How::AtSpan,
            };
        }
        // A quote that stands in the text more than once: the occurrence nearest its old span.
        if let (Some((old, _)), [piece]) = (span, pieces.as_slice()) {
            let len = piece.chars().count();
            let nearest = self
                .text
                .match_indices(piece.as_str())
                .map(|(b, _)| self.char_of_byte(b))
                .min_by_key(|&s| s.abs_diff(old));
            if let Some(s) = nearest {
                return Found::Yes {
                    span: (s, s + len),
                    how: How::Exact,
                };
            }
        }
        let mut from = 0;
        let mut start = None;
        let mut worst = How::Exact;
        for piece in &pieces {
            match self.find_piece(piece, from) {
                Found::Yes { span: (s, e), how } => {
                    start.get_or_insert(s);
                    from = e;
                    worst = match (worst, how) {
                        (How::Fuzzy(a), How::Fuzzy(b)) => How::Fuzzy(a.min(b)),
                        (How::Fuzzy(a), _) | (_, How::Fuzzy(a)) => How::Fuzzy(a),
                        (How::Normalised, _) | (_, How::Normalised) => How::Normalised,
                        _ => How::Exact,
                    };
                }
                no => return no,
            }
        }
        Found::Yes {
            span: (start.unwrap_or(0), from),
            how: worst,
        }
    }

    /// Whether the text at `span` is the quote, normalised alike.
    fn is_at(&self, pieces: &[String], (start, end): (usize, usize)) -> bool {
        if start > end || end > self.chars.len() {
            return false;
        }
        let here = Prepared::new(&self.slice((start, end)));
        let mut from = 0;
        for (n, piece) in pieces.iter().enumerate() {
            let Some((s, e)) = here.exact_or_normalised(piece, from) else {
                return false;
            };
            // The span must begin with the first piece and end with the last.
            if (n == 0 && s != 0) || (n + 1 == pieces.len() && e != here.len()) {
                return false;
            }
            from = e;
        }
        true
    }

    fn exact_or_normalised(&self, piece: &str, from: usize) -> Option<(usize, usize)> {
        let from_byte = self.bytes.get(from).copied().unwrap_or(self.text.len());
        if let Some(b) = self.text[from_byte..].find(piece) {
            let s = self.char_of_byte(from_byte + b);
            return Some((s, s + piece.chars().count()));
        }
        let wanted = Normal::new(&piece.chars().collect::<Vec<_>>(), false).chars;
        for normal in [&self.plain, &self.joined] {
            let begin = normal.index_of(from);
            if let Some(i) = find_chars(&normal.chars[begin.min(normal.chars.len())..], &wanted) {
                return Some(normal.span(begin + i, begin + i + wanted.len()));
            }
        }
        None
    }

    fn find_piece(&self, piece: &str, from: usize) -> Found {
        let from_byte = self.bytes.get(from).copied().unwrap_or(self.text.len());
        if let Some(b) = self.text[from_byte..].find(piece) {
            let s = self.char_of_byte(from_byte + b);
            return Found::Yes {
                span: (s, s + piece.chars().count()),
                how: How::Exact,
            };
        }
        if let Some(span) = self.exact_or_normalised(piece, from) {
            return Found::Yes {
                span,
                how: How::Normalised,
            };
        }
        let wanted = Normal::new(&piece.chars().collect::<Vec<_>>(), false).chars;
        let begin = self.plain.index_of(from).min(self.plain.chars.len());
        let (dist, s, e) = sellers(&wanted, &self.plain.chars[begin..]);
        let score = if wanted.is_empty() {
            0.0
        } else {
            1.0 - dist as f64 / wanted.len() as f64
        };
        let span = self.plain.span(begin + s, begin + e);
        if score >= FUZZY_FOUND {
            Found::Yes {
                span,
                how: How::Fuzzy(score),
            }
        } else {
            Found::No {
                closest: span,
                score: score.max(0.0),
            }
        }
    }
}

/// The pieces of a quote between `…` (or `[…]`), trimmed, empty ones dropped.
pub fn pieces(quote: &str) -> Vec<String> {
    quote
        .replace("[…]", "…")
        .split('…')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect()
}

fn find_chars(hay: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Sellers' approximate substring match: the least edit distance between `pattern` and any
/// stretch `text[start..end]`, with that stretch (the first best one).
pub fn sellers(pattern: &[char], text: &[char]) -> (usize, usize, usize) {
    let m = pattern.len();
    // Column before any text: matching i pattern characters against nothing costs i.
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut prev_start: Vec<usize> = vec![0; m + 1];
    let mut cur = vec![0; m + 1];
    let mut cur_start = vec![0; m + 1];
    let mut best = (prev[m], 0, 0);
    for (j, &c) in text.iter().enumerate() {
        cur[0] = 0;
        cur_start[0] = j + 1;
        for i in 1..=m {
            let diag = prev[i - 1] + usize::from(pattern[i - 1] != c);
            let up = cur[i - 1] + 1;
            let left = prev[i] + 1;
            let (d, s) = if diag <= up && diag <= left {
                (diag, prev_start[i - 1])
            } else if up <= left {
                (up, cur_start[i - 1])
            } else {
                (left, prev_start[i])
            };
            cur[i] = d;
            cur_start[i] = s;
        }
        // A tie with the same start extends the stretch (a substitution at the end rather
        // than a deletion); a tie elsewhere keeps the earlier one.
        if cur[m] < best.0 || (cur[m] == best.0 && cur_start[m] == best.1 && j + 1 == best.2 + 1) {
            best = (cur[m], cur_start[m], j + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
        std::mem::swap(&mut prev_start, &mut cur_start);
    }
    best
}

/// `n` with a comma between thousands: 1,234.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A passage for a one-line message: white space as single spaces, control characters as
/// `�`, at most `max` characters (with `…` where cut).
pub fn excerpt(s: &str, max: usize) -> String {
    let one_line = one_line(s);
    if one_line.chars().count() <= max {
        one_line
    } else {
        let mut cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// Text from a file or an argument made safe to print on one terminal line: white space as
/// single spaces, control characters and bidirectional overrides as `�`, so that nothing in
/// it reaches the terminal as a command.
pub fn one_line(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
                '�'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "Det var «tommel opp»,\n men kommuneor-\n\nganisasjon og helse- og omsorg\u{ad}tjenesten.";

    fn yes(found: Found) -> ((usize, usize), How) {
        match found {
            Found::Yes { span, how } => (span, how),
            no => panic!("not found: {no:?}"),
        }
    }

    #[test]
    fn exact_then_at_its_span() {
        let p = Prepared::new(TEXT);
        let (span, how) = yes(p.find("«tommel opp»", None));
        // "Det var " is 8 code points; the quote 12.
        assert_eq!((span, how), ((8, 20), How::Exact));
        assert_eq!(
            p.find("«tommel opp»", Some((8, 20))),
            Found::Yes {
                span: (8, 20),
                how: How::AtSpan
            }
        );
        // A wrong span: found elsewhere, with the right one.
        assert_eq!(
            yes(p.find("«tommel opp»", Some((0, 12)))),
            ((8, 20), How::Exact)
        );
    }

    #[test]
    fn a_quote_that_stands_twice_moves_to_the_nearer() {
        // "ja" at 0, 7 and 14; a span of (12, 14) is nearest the one at 14.
        let p = Prepared::new("ja nei ja nei ja");
        assert_eq!(yes(p.find("ja", Some((12, 14)))), ((14, 16), How::Exact));
        assert_eq!(yes(p.find("ja", Some((6, 8)))), ((7, 9), How::Exact));
        assert_eq!(yes(p.find("ja", None)), ((0, 2), How::Exact));
    }

    #[test]
    fn white_space_soft_hyphens_and_line_end_hyphens_normalised() {
        let p = Prepared::new(TEXT);
        let (span, how) = yes(p.find("opp», men kommuneorganisasjon", None));
        assert_eq!(how, How::Normalised);
        assert_eq!(p.slice(span), "opp»,\n men kommuneor-\n\nganisasjon");
        let (span, how) = yes(p.find("helse- og omsorgtjenesten", None));
        assert_eq!(how, How::Normalised);
        assert_eq!(p.slice(span), "helse- og omsorg\u{ad}tjenesten");
        // That span, given, is at its span.
        assert_eq!(
            yes(p.find("helse- og omsorgtjenesten", Some(span))).1,
            How::AtSpan
        );
    }

    #[test]
    fn pieces_in_order_with_ellipses() {
        let p = Prepared::new(TEXT);
        let (span, _) = yes(p.find("Det var … og helse- og […] tjenesten", None));
        assert_eq!(span.0, 0);
        assert_eq!(span.1, TEXT.chars().count() - 1);
        assert!(matches!(p.find("omsorg … Det var", None), Found::No { .. }));
    }

    #[test]
    fn approximately_and_the_closest_when_not_found() {
        let p = Prepared::new(TEXT);
        // One letter changed in 10: distance 1, similarity 1 − 1/10 = 0.9, found.
        let (span, how) = yes(p.find("tommel ops", None));
        assert_eq!(how, How::Fuzzy(0.9));
        assert_eq!(p.slice(span), "tommel opp");
        // "tommel ned": the best stretch is "tommel " plus one of "opp" (distance 3 of 10:
        // two substitutions and one deletion), similarity 0.7 — not found.
        match p.find("tommel ned", None) {
            Found::No { closest, score } => {
                assert!((score - 0.7).abs() < 1e-9, "{score}");
                assert!(p.slice(closest).starts_with("tommel "));
            }
            yes => panic!("{yes:?}"),
        }
    }

    #[test]
    fn sellers_on_a_worked_example() {
        // Pattern "abc" in "xxabdxx": "ab" (one deletion) and "abd" (one substitution) both
        // cost 1; the stretch is extended to "abd", 2..5.
        let t: Vec<char> = "xxabdxx".chars().collect();
        let p: Vec<char> = "abc".chars().collect();
        assert_eq!(sellers(&p, &t), (1, 2, 5));
        // Exactly there: distance 0.
        let p: Vec<char> = "bd".chars().collect();
        assert_eq!(sellers(&p, &t), (0, 3, 5));
    }

    #[test]
    fn numbers_and_excerpts_for_messages() {
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(excerpt("a\n b\u{1b}[31m", 20), "a b�[31m");
        assert_eq!(excerpt("abcdef", 4), "abc…");
    }
}
