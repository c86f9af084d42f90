//! The reading view of one source on the sources screen: the source's text laid out in lines
//! for the pane's width, a cursor and a selection counted in code points (the unit of an
//! evidence span), movement by character, word, sentence and paragraph, and a search.
//!
//! It is pure state over the text: no I/O and no drawing. The screen's handler moves it with
//! keys and mouse positions; the ui draws [`Reading::lines`] from [`Reading::top`] and marks
//! the cursor, the selection and the search's hits where this module says they are.

use unicode_width::UnicodeWidthChar;

/// One line of the wrapped text: the code points `start..end` of the source (the newline or
/// the space where it was wrapped is not part of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
}

/// A search in the text: the query as typed, and where it is found (code points, half-open).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    pub query: String,
    pub hits: Vec<(usize, usize)>,
}

/// The reading view: the text, its lines at the current width, the cursor and the selection.
#[derive(Debug, Clone)]
pub struct Reading {
    chars: Vec<char>,
    width: usize,
    lines: Vec<Line>,
    /// The code point under the cursor.
    pub cursor: usize,
    /// Where the selection started (`v`), if one is being made.
    pub anchor: Option<usize>,
    /// The first line in view.
    pub top: usize,
    /// The last search, with its hits.
    pub search: Search,
}

impl Reading {
    /// The text laid out for `width` columns, the cursor at its start.
    pub fn new(text: &str, width: usize) -> Reading {
        let chars: Vec<char> = text.chars().collect();
        let width = width.max(1);
        let lines = wrap(&chars, width);
        Reading {
            chars,
            width,
            lines,
            cursor: 0,
            anchor: None,
            top: 0,
            search: Search::default(),
        }
    }

    /// The number of code points in the text.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The wrapped lines.
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// The text of code points `start..end`.
    pub fn slice(&self, start: usize, end: usize) -> String {
        let end = end.min(self.chars.len());
        self.chars[start.min(end)..end].iter().collect()
    }

    /// Lays the text out again for another width, keeping the cursor.
    pub fn set_width(&mut self, width: usize) {
        let width = width.max(1);
        if width != self.width {
            self.width = width;
            self.lines = wrap(&self.chars, width);
        }
    }

    /// The line the cursor is on.
    pub fn cursor_line(&self) -> usize {
        self.line_of(self.cursor)
    }

    /// The line that holds code point `pos` (a position in a wrap gap belongs to the line
    /// before it).
    pub fn line_of(&self, pos: usize) -> usize {
        match self.lines.binary_search_by(|l| l.start.cmp(&pos)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Scrolls so that the cursor's line is among the `height` lines in view.
    pub fn follow(&mut self, height: usize) {
        let line = self.cursor_line();
        let height = height.max(1);
        if line < self.top {
            self.top = line;
        } else if line >= self.top + height {
            self.top = line + 1 - height;
        }
    }

    /// The code point shown at display column `col` of line `line` (the line's end when the
    /// column is past it): where a mouse click lands.
    pub fn position_at(&self, line: usize, col: usize) -> usize {
        let Some(l) = self.lines.get(line) else {
            return self.last();
        };
        let mut used = 0;
        for pos in l.start..l.end {
            let w = self.chars[pos].width().unwrap_or(0);
            if used + w > col {
                return pos;
            }
            used += w;
        }
        l.end.min(self.last())
    }

    /// The display column of code point `pos` on its line.
    pub fn column_of(&self, pos: usize) -> usize {
        let l = self.lines[self.line_of(pos).min(self.lines.len().saturating_sub(1))];
        self.chars[l.start..pos.clamp(l.start, l.end)]
            .iter()
            .map(|c| c.width().unwrap_or(0))
            .sum()
    }

    fn last(&self) -> usize {
        self.chars.len().saturating_sub(1)
    }

    /// Moves the cursor to `pos` (clamped to the text).
    pub fn go(&mut self, pos: usize) {
        self.cursor = pos.min(self.last());
    }

    /// Moves the cursor by `by` code points.
    pub fn move_chars(&mut self, by: isize) {
        self.go(self.cursor.saturating_add_signed(by));
    }

    /// Moves the cursor `by` lines up (negative) or down, keeping its column where it can.
    pub fn move_lines(&mut self, by: isize) {
        if self.lines.is_empty() {
            return;
        }
        let col = self.column_of(self.cursor);
        let line = self
            .cursor_line()
            .saturating_add_signed(by)
            .min(self.lines.len() - 1);
        self.go(self.position_at(line, col));
    }

    /// Moves to the start of the next word (`forward`) or of this or the previous one.
    pub fn move_word(&mut self, forward: bool) {
        let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '\'';
        let c = &self.chars;
        let mut p = self.cursor;
        if forward {
            while p < c.len() && is_word(c[p]) {
                p += 1;
            }
            while p < c.len() && !is_word(c[p]) {
                p += 1;
            }
        } else {
            while p > 0 && !is_word(c[p - 1]) {
                p -= 1;
            }
            while p > 0 && is_word(c[p - 1]) {
                p -= 1;
            }
        }
        self.go(p);
    }

    /// Moves to the start of the next sentence (`forward`) or of this or the previous one. A
    /// sentence ends at `.`, `!`, `?` or `…` (with any closing quotes or brackets) followed by
    /// white space, or at a blank line.
    pub fn move_sentence(&mut self, forward: bool) {
        let starts = self.boundaries(sentence_starts_at);
        self.go(step_to(&starts, self.cursor, forward));
    }

    /// Moves to the start of the next paragraph (`forward`) or of this or the previous one.
    /// Paragraphs are separated by blank lines where the text has any, else by line ends.
    pub fn move_paragraph(&mut self, forward: bool) {
        let blank_lines = self.chars.windows(2).any(|w| w == ['\n', '\n']);
        let starts = self.boundaries(|chars, i| paragraph_starts_at(chars, i, blank_lines));
        self.go(step_to(&starts, self.cursor, forward));
    }

    /// Moves by `unit`. While a selection grows forward (the cursor at or after where it
    /// began), the cursor goes from the end of one unit to the end of the next (the last
    /// letter before the white space that closes it), so that `v` at a sentence's start and
    /// `)` select exactly that sentence; otherwise it goes from start to start.
    pub fn move_unit(&mut self, unit: Unit, forward: bool) {
        let growing = self
            .anchor
            .is_some_and(|a| self.cursor > a || (self.cursor == a && forward));
        if !growing {
            match unit {
                Unit::Char => self.move_chars(if forward { 1 } else { -1 }),
                Unit::Word => self.move_word(forward),
                Unit::Sentence => self.move_sentence(forward),
                Unit::Paragraph => self.move_paragraph(forward),
            }
            return;
        }
        if unit == Unit::Char {
            self.move_chars(if forward { 1 } else { -1 });
            return;
        }
        let anchor = self.anchor.unwrap_or(0);
        let starts = self.unit_starts(unit);
        let to = if forward {
            // The end of the unit after the white space that follows the cursor.
            let mut p = self.cursor + 1;
            while p < self.chars.len() && self.chars[p].is_whitespace() {
                p += 1;
            }
            if p >= self.chars.len() {
                return;
            }
            let next = step_to(&starts, p, true).min(self.chars.len());
            self.end_before(next, p)
        } else {
            // The end of the unit before the one the cursor is in.
            let this = step_to(&starts, self.cursor + 1, false);
            match this.checked_sub(1) {
                Some(before) if this > anchor => {
                    let prev = step_to(&starts, before, false);
                    self.end_before(this, prev).max(anchor)
                }
                _ => anchor,
            }
        };
        self.go(to);
    }

    /// The last letter that is not white space before `end`, but not before `floor`.
    fn end_before(&self, end: usize, floor: usize) -> usize {
        let mut e = end.min(self.chars.len());
        while e > floor + 1 && self.chars[e - 1].is_whitespace() {
            e -= 1;
        }
        e.saturating_sub(1).max(floor)
    }

    /// Where each unit of this kind starts.
    fn unit_starts(&self, unit: Unit) -> Vec<usize> {
        match unit {
            Unit::Char => (0..self.chars.len()).collect(),
            Unit::Word => {
                let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '\'';
                self.boundaries(|chars, i| is_word(chars[i]) && !is_word(chars[i - 1]))
            }
            Unit::Sentence => self.boundaries(sentence_starts_at),
            Unit::Paragraph => {
                let blank_lines = self.chars.windows(2).any(|w| w == ['\n', '\n']);
                self.boundaries(|chars, i| paragraph_starts_at(chars, i, blank_lines))
            }
        }
    }

    /// `v` on the first letter of a search hit selects the hit; elsewhere it starts a
    /// selection at the cursor, or ends the one being made.
    pub fn start_or_end_selection(&mut self) {
        if self.anchor.is_none()
            && let Some(&(start, end)) = self.search.hits.iter().find(|h| h.0 == self.cursor)
        {
            self.anchor = Some(start);
            self.go(end.saturating_sub(1));
            return;
        }
        self.toggle_selection();
    }

    /// Selects code points `start..end` (half-open), the cursor on the last.
    pub fn select(&mut self, start: usize, end: usize) {
        if start >= end || self.chars.is_empty() {
            return;
        }
        self.anchor = Some(start.min(self.last()));
        self.go(end - 1);
    }

    /// The positions where `starts_at` holds, with the text's start.
    fn boundaries(&self, starts_at: impl Fn(&[char], usize) -> bool) -> Vec<usize> {
        let mut out = vec![0];
        out.extend((1..self.chars.len()).filter(|&i| starts_at(&self.chars, i)));
        out
    }

    /// Starts a selection at the cursor, or ends the one being made.
    pub fn toggle_selection(&mut self) {
        self.anchor = match self.anchor {
            Some(_) => None,
            None => Some(self.cursor),
        };
    }

    /// The selected code points, half-open, from the anchor to the cursor (both included).
    pub fn selection(&self) -> Option<(usize, usize)> {
        let a = self.anchor?;
        if self.chars.is_empty() {
            return None;
        }
        let (lo, hi) = if a <= self.cursor {
            (a, self.cursor)
        } else {
            (self.cursor, a)
        };
        Some((lo, (hi + 1).min(self.chars.len())))
    }

    /// The selection without white space at either end: the span a passage is cited by.
    /// `None` without a selection or when only white space is selected.
    pub fn passage(&self) -> Option<(usize, usize)> {
        let (mut lo, mut hi) = self.selection()?;
        while lo < hi && self.chars[lo].is_whitespace() {
            lo += 1;
        }
        while hi > lo && self.chars[hi - 1].is_whitespace() {
            hi -= 1;
        }
        (lo < hi).then_some((lo, hi))
    }

    /// Searches for `query` (ignoring case), keeping the hits; the cursor goes to the first
    /// hit at or after it. Returns how many there are.
    pub fn find(&mut self, query: &str) -> usize {
        let needle: Vec<char> = query.chars().flat_map(char::to_lowercase).collect();
        let hay: Vec<char> = self
            .chars
            .iter()
            .map(|&c| c.to_lowercase().next().unwrap_or(c))
            .collect();
        let mut hits = Vec::new();
        if !needle.is_empty() && needle.len() <= hay.len() {
            let mut i = 0;
            while i + needle.len() <= hay.len() {
                if hay[i..i + needle.len()] == needle[..] {
                    hits.push((i, i + needle.len()));
                    i += needle.len();
                } else {
                    i += 1;
                }
            }
        }
        self.search = Search {
            query: query.to_string(),
            hits,
        };
        if let Some(&(start, _)) = self.search.hits.iter().find(|h| h.0 >= self.cursor) {
            self.go(start);
        } else if let Some(&(start, _)) = self.search.hits.first() {
            self.go(start);
        }
        self.search.hits.len()
    }

    /// Moves to the next hit of the search (`forward`, `n`) or the previous one (`N`),
    /// wrapping around the text. Returns the hit's number (from 1), if there is any hit.
    pub fn next_hit(&mut self, forward: bool) -> Option<usize> {
        let hits = &self.search.hits;
        if hits.is_empty() {
            return None;
        }
        let i = if forward {
            hits.iter().position(|h| h.0 > self.cursor).unwrap_or(0)
        } else {
            hits.iter()
                .rposition(|h| h.0 < self.cursor)
                .unwrap_or(hits.len() - 1)
        };
        let start = hits[i].0;
        self.go(start);
        Some(i + 1)
    }
}

/// What the cursor moves by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Char,
    Word,
    Sentence,
    Paragraph,
}

/// Whether a paragraph starts at `i`: after a blank line where the text has any
/// (`blank_lines`), else after any line end.
fn paragraph_starts_at(chars: &[char], i: usize, blank_lines: bool) -> bool {
    let newlines = || {
        chars[..i]
            .iter()
            .rev()
            .take_while(|c| c.is_whitespace())
            .filter(|&&c| c == '\n')
            .count()
    };
    i > 0
        && !chars[i].is_whitespace()
        && if blank_lines {
            newlines() >= 2
        } else {
            newlines() >= 1
        }
}

/// Whether a sentence starts at `i`: the first non-space after a sentence's end.
fn sentence_starts_at(chars: &[char], i: usize) -> bool {
    if chars[i].is_whitespace() || i == 0 {
        return false;
    }
    let mut j = i;
    let mut newlines = 0;
    while j > 0 && chars[j - 1].is_whitespace() {
        if chars[j - 1] == '\n' {
            newlines += 1;
        }
        j -= 1;
    }
    if j == i {
        return false;
    }
    if newlines >= 2 {
        return true;
    }
    // Closing quotes and brackets may follow the mark.
    while j > 0 && matches!(chars[j - 1], '»' | '"' | '”' | '’' | '\'' | ')' | ']') {
        j -= 1;
    }
    j > 0 && matches!(chars[j - 1], '.' | '!' | '?' | '…')
}

/// The nearest boundary after `pos` (`forward`) or before it; the ends when there is none.
fn step_to(starts: &[usize], pos: usize, forward: bool) -> usize {
    if forward {
        starts
            .iter()
            .copied()
            .find(|&s| s > pos)
            .unwrap_or(usize::MAX)
    } else {
        starts.iter().copied().rev().find(|&s| s < pos).unwrap_or(0)
    }
}

/// The text's lines for `width` columns: each source line is cut at the last space that keeps
/// it within the width, or mid-word when one word is wider than the line.
fn wrap(chars: &[char], width: usize) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    while start <= chars.len() {
        let end = chars[start..]
            .iter()
            .position(|&c| c == '\n')
            .map_or(chars.len(), |p| start + p);
        let mut from = start;
        loop {
            let mut used = 0;
            let mut cut = None;
            let mut space = None;
            for (p, &c) in chars.iter().enumerate().take(end).skip(from) {
                let w = c.width().unwrap_or(0);
                if used + w > width && p > from {
                    cut = Some(p);
                    break;
                }
                if c == ' ' {
                    space = Some(p);
                }
                used += w;
            }
            match cut {
                None => {
                    lines.push(Line { start: from, end });
                    break;
                }
                // A space where the width runs out is the wrap itself.
                Some(p) if chars[p] == ' ' => {
                    lines.push(Line {
                        start: from,
                        end: p,
                    });
                    from = p + 1;
                }
                Some(p) => match space.filter(|&s| s > from) {
                    // Wrap at the last space: it belongs to neither line.
                    Some(s) => {
                        lines.push(Line {
                            start: from,
                            end: s,
                        });
                        from = s + 1;
                    }
                    None => {
                        lines.push(Line {
                            start: from,
                            end: p,
                        });
                        from = p;
                    }
                },
            }
        }
        start = end + 1;
    }
    lines
}

/// The locator of code point `pos` in a source: the heading it falls under and the page it is
/// on, from the positions where pages start after the first (`page_breaks`) and where
/// headings start, both sorted: `"Innledning, p. 3"`, `"p. 3"`, `"Innledning"` or `""`.
pub fn locator(pos: usize, page_breaks: &[usize], headings: &[(usize, String)]) -> String {
    let heading = headings
        .iter()
        .take_while(|(at, _)| *at <= pos)
        .last()
        .map(|(_, h)| h.as_str());
    let page = (!page_breaks.is_empty())
        .then(|| 1 + page_breaks.iter().take_while(|&&at| at <= pos).count());
    match (heading, page) {
        (Some(h), Some(p)) => format!("{h}, p. {p}"),
        (Some(h), None) => h.to_string(),
        (None, Some(p)) => format!("p. {p}"),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Vi møttes. Det gikk sakte!\nNeste avsnitt her.\n\nSiste del… «Ja.» Slutt";

    fn text_of(r: &Reading, l: &Line) -> String {
        r.slice(l.start, l.end)
    }

    #[test]
    fn lines_wrap_at_spaces_within_the_width_and_keep_positions() {
        let r = Reading::new("Gruppene som ville bedre samarbeidet", 12);
        let lines: Vec<String> = r.lines().iter().map(|l| text_of(&r, l)).collect();
        // "Gruppene som" is 12 columns; the space after it is the wrap, then "ville bedre"
        // (11), then "samarbeidet" (11).
        assert_eq!(lines, ["Gruppene som", "ville bedre", "samarbeidet"]);
        assert_eq!(r.lines()[1], Line { start: 13, end: 24 });
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut_and_wide_letters_count_two_columns() {
        let r = Reading::new("山山山山", 5);
        let lines: Vec<String> = r.lines().iter().map(|l| text_of(&r, l)).collect();
        // Two wide letters fill 4 of 5 columns; a third would need 6.
        assert_eq!(lines, ["山山", "山山"]);
        let r = Reading::new("a\n\nb", 10);
        assert_eq!(r.lines().len(), 3, "an empty line is a line");
        assert_eq!(r.lines()[1], Line { start: 2, end: 2 });
    }

    #[test]
    fn clicks_land_on_the_letter_under_them() {
        let r = Reading::new("Gruppene som ville bedre samarbeidet", 12);
        // Line 1 is "ville bedre", starting at 13; column 6 is the "b" of "bedre".
        assert_eq!(r.position_at(1, 6), 19);
        assert_eq!(r.column_of(19), 6);
        assert_eq!(r.line_of(19), 1);
        // Past the line's end: the line's end.
        assert_eq!(r.position_at(1, 40), 24);
    }

    #[test]
    fn words_sentences_and_paragraphs() {
        let mut r = Reading::new(TEXT, 80);
        r.move_word(true);
        assert_eq!(r.slice(r.cursor, r.cursor + 6), "møttes");
        r.move_word(true);
        assert_eq!(r.slice(r.cursor, r.cursor + 3), "Det");
        r.move_word(false);
        assert_eq!(r.slice(r.cursor, r.cursor + 6), "møttes");

        r.go(0);
        r.move_sentence(true);
        assert_eq!(r.slice(r.cursor, r.cursor + 3), "Det");
        r.move_sentence(true);
        assert_eq!(
            r.slice(r.cursor, r.cursor + 5),
            "Neste",
            "a line end after '!'"
        );
        r.move_sentence(true);
        assert_eq!(r.slice(r.cursor, r.cursor + 5), "Siste", "a blank line");
        r.move_sentence(true);
        assert_eq!(r.slice(r.cursor, r.cursor + 3), "«Ja", "after an ellipsis");
        r.move_sentence(true);
        assert_eq!(
            r.slice(r.cursor, r.cursor + 5),
            "Slutt",
            "after a closing quote"
        );
        r.move_sentence(false);
        assert_eq!(r.slice(r.cursor, r.cursor + 3), "«Ja");

        // The text has a blank line, so only it separates paragraphs.
        r.go(0);
        r.move_paragraph(true);
        assert_eq!(r.slice(r.cursor, r.cursor + 5), "Siste");
        r.move_paragraph(false);
        assert_eq!(r.cursor, 0);
        // Without blank lines, every line end does.
        let mut r = Reading::new("En.\nTo.\nTre.", 80);
        r.move_paragraph(true);
        assert_eq!(r.slice(r.cursor, r.cursor + 3), "To.");
    }

    #[test]
    fn a_selection_runs_from_anchor_to_cursor_and_its_passage_is_trimmed() {
        let mut r = Reading::new(TEXT, 80);
        assert_eq!(r.selection(), None);
        r.move_word(true); // "møttes" at 3
        r.move_chars(-1); // the space before it
        r.toggle_selection();
        r.move_sentence(true); // "Det" at 11
        // Both ends included: 2..=11.
        assert_eq!(r.selection(), Some((2, 12)));
        // The passage leaves out the space at the start: "møttes. D".
        assert_eq!(r.passage(), Some((3, 12)));
        assert_eq!(r.slice(3, 12), "møttes. D");
        // Backwards works the same.
        r.anchor = Some(9);
        r.go(3);
        assert_eq!(r.selection(), Some((3, 10)));
        r.toggle_selection();
        assert_eq!(r.selection(), None);
    }

    #[test]
    fn a_growing_selection_moves_from_end_to_end() {
        let mut r = Reading::new(TEXT, 80);
        r.toggle_selection();
        r.move_unit(Unit::Sentence, true);
        let (s, e) = r.passage().unwrap();
        assert_eq!(r.slice(s, e), "Vi møttes.", "exactly the first sentence");
        r.move_unit(Unit::Sentence, true);
        let (s, e) = r.passage().unwrap();
        assert_eq!(r.slice(s, e), "Vi møttes. Det gikk sakte!");
        r.move_unit(Unit::Sentence, false);
        let (s, e) = r.passage().unwrap();
        assert_eq!(r.slice(s, e), "Vi møttes.", "back to the end before");
        r.move_unit(Unit::Sentence, false);
        assert_eq!(r.cursor, 0, "shrunk to where it began");
        // Words: the end of each word.
        let mut r = Reading::new(TEXT, 80);
        r.toggle_selection();
        r.move_unit(Unit::Word, true);
        assert_eq!(r.slice(0, r.cursor + 1), "Vi");
        r.move_unit(Unit::Word, true);
        assert_eq!(r.slice(0, r.cursor + 1), "Vi møttes.");
        // A paragraph: up to the blank line.
        let mut r = Reading::new(TEXT, 80);
        r.toggle_selection();
        r.move_unit(Unit::Paragraph, true);
        let (s, e) = r.passage().unwrap();
        assert_eq!(
            r.slice(s, e),
            "Vi møttes. Det gikk sakte!\nNeste avsnitt her."
        );
        // Without a selection, units move from start to start.
        let mut r = Reading::new(TEXT, 80);
        r.move_unit(Unit::Sentence, true);
        assert_eq!(r.slice(r.cursor, r.cursor + 3), "Det");
        // Backwards from where it began: the selection grows to the left.
        r.toggle_selection();
        r.move_unit(Unit::Word, false);
        let (s, e) = r.selection().unwrap();
        assert_eq!(r.slice(s, e), "møttes. D");
    }

    #[test]
    fn v_on_a_search_hit_selects_the_hit() {
        let mut r = Reading::new("Det gikk sakte, veldig sakte.", 80);
        r.find("veldig sakte");
        r.start_or_end_selection();
        let (s, e) = r.passage().unwrap();
        assert_eq!(r.slice(s, e), "veldig sakte");
        r.start_or_end_selection();
        assert_eq!(r.selection(), None, "v again ends it");
        r.go(0);
        r.start_or_end_selection();
        assert_eq!(r.selection(), Some((0, 1)), "elsewhere: from the cursor");
        r.anchor = None;
        r.select(4, 8);
        assert_eq!(r.passage(), Some((4, 8)));
    }

    #[test]
    fn search_ignores_case_and_n_cycles_through_the_hits() {
        let mut r = Reading::new("Sakte. sakte, SAKTE", 80);
        assert_eq!(r.find("sakte"), 3);
        assert_eq!(r.search.hits, [(0, 5), (7, 12), (14, 19)]);
        assert_eq!(r.cursor, 0);
        assert_eq!(r.next_hit(true), Some(2));
        assert_eq!(r.cursor, 7);
        assert_eq!(r.next_hit(true), Some(3));
        assert_eq!(r.next_hit(true), Some(1), "wraps around");
        assert_eq!(r.next_hit(false), Some(3), "N wraps back");
        assert_eq!(r.find("Ø"), 0);
        assert_eq!(r.next_hit(true), None);
        let mut r = Reading::new("BLÅ blå", 80);
        assert_eq!(r.find("blå"), 2, "Norwegian letters fold too");
    }

    #[test]
    fn moving_by_lines_keeps_the_column_and_follow_scrolls() {
        let mut r = Reading::new("aaaa bbbb cccc dddd eeee", 4);
        assert_eq!(r.lines().len(), 5);
        r.go(2);
        r.move_lines(2);
        assert_eq!(r.cursor, 12, "third line, same column");
        r.follow(2);
        assert_eq!(r.top, 1);
        r.move_lines(-5);
        assert_eq!(r.cursor, 2);
        r.follow(2);
        assert_eq!(r.top, 0);
    }

    #[test]
    fn a_locator_names_the_heading_and_the_page() {
        let pages = [100, 250];
        let headings = [(0, "Innledning".to_string()), (180, "Funn".to_string())];
        assert_eq!(locator(50, &pages, &headings), "Innledning, p. 1");
        // 100 is the first code point of page 2.
        assert_eq!(locator(100, &pages, &headings), "Innledning, p. 2");
        assert_eq!(locator(300, &pages, &headings), "Funn, p. 3");
        assert_eq!(locator(5, &[], &headings), "Innledning");
        assert_eq!(locator(5, &pages, &[]), "p. 1");
        assert_eq!(locator(5, &[], &[]), "");
    }
}
