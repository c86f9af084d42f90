//! Forms: a few labelled fields filled in from the keyboard — a line of text, several lines,
//! or one choice from a list that explains each option — with Tab between fields, Ctrl-S to
//! submit and Esc to cancel. The step and journey forms are built from it.
//!
//! Pure state: keys come in as `ratatui_textarea::Input` (terreng's own keys are turned into
//! it at the edge), and nothing here touches the terminal or the disk. What a submitted form
//! means is for its caller: it reads the values by field name.

use ratatui_textarea::{CursorMove, Input, Key, TextArea, WrapMode};

use crate::model::StepKind;

/// One option of a choice field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// What the form's value is when this is chosen.
    pub value: String,
    /// What the form shows.
    pub label: String,
    /// A line that says what choosing it means.
    pub help: String,
}

/// What kind of value a field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text; Enter moves on.
    Line,
    /// Several lines; Enter starts a new line.
    Text,
    /// One of a list: ←/→ (or Space) move through it, a letter jumps to the option it starts.
    Choice(Vec<Choice>),
    /// Codes of the catalogue, chosen in the code picker (the caller opens it): the text holds
    /// their ids, separated by commas; Backspace takes off the last one.
    Codes,
}

/// A field of a form.
pub struct Field {
    /// The name the caller reads the value by.
    pub name: &'static str,
    pub label: String,
    /// A line under the field saying what goes in it.
    pub hint: String,
    pub kind: FieldKind,
    pub text: TextArea<'static>,
    /// The option chosen, for a choice.
    pub chosen: usize,
    /// The letter last typed on a choice, while it is the last key: typed again, it goes on to
    /// the next option with that letter.
    pub letter: Option<char>,
    /// Whether the form cannot be submitted with the field empty.
    pub required: bool,
}

impl Field {
    /// The field's value: its text (lines joined by newlines, trimmed) or the chosen value.
    pub fn value(&self) -> String {
        match &self.kind {
            FieldKind::Choice(choices) => choices
                .get(self.chosen)
                .map(|c| c.value.clone())
                .unwrap_or_default(),
            _ => self.text.lines().join("\n").trim().to_string(),
        }
    }
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    /// Still being filled in (redraw if `true`: something changed).
    Editing(bool),
    /// Ctrl-S with every required field filled in.
    Submit,
    /// Esc.
    Cancel,
}

/// A form.
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    /// The field that takes the keys.
    pub focus: usize,
    /// Why the last Ctrl-S did not submit.
    pub error: Option<String>,
}

fn text_area(value: &str) -> TextArea<'static> {
    let mut t = TextArea::new(value.lines().map(str::to_string).collect());
    t.set_wrap_mode(WrapMode::WordOrGlyph);
    t.move_cursor(CursorMove::Bottom);
    t.move_cursor(CursorMove::End);
    t
}

impl Form {
    /// An empty form.
    pub fn new(title: impl Into<String>) -> Form {
        Form {
            title: title.into(),
            fields: Vec::new(),
            focus: 0,
            error: None,
        }
    }

    fn push(mut self, name: &'static str, label: &str, hint: &str, kind: FieldKind) -> Form {
        self.fields.push(Field {
            name,
            label: label.to_string(),
            hint: hint.to_string(),
            kind,
            text: text_area(""),
            chosen: 0,
            letter: None,
            required: false,
        });
        self
    }

    /// Adds a one-line field holding `value`.
    pub fn line(self, name: &'static str, label: &str, hint: &str, value: &str) -> Form {
        let mut f = self.push(name, label, hint, FieldKind::Line);
        f.set(name, value);
        f
    }

    /// Adds a multi-line field holding `value`.
    pub fn text(self, name: &'static str, label: &str, hint: &str, value: &str) -> Form {
        let mut f = self.push(name, label, hint, FieldKind::Text);
        f.set(name, value);
        f
    }

    /// Adds a field of codes holding the ids `value`, chosen in the code picker.
    pub fn codes(self, name: &'static str, label: &str, hint: &str, value: &[String]) -> Form {
        let mut f = self.push(name, label, hint, FieldKind::Codes);
        f.set(name, &value.join(", "));
        f
    }

    /// The ids in a field of codes (or any field read as a list separated by commas).
    pub fn ids(&self, name: &str) -> Vec<String> {
        self.get(name)
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// Every field's value, in order: what [`Form::touched`] compares with.
    pub fn values(&self) -> Vec<String> {
        self.fields.iter().map(Field::value).collect()
    }

    /// Whether any value differs from `initial` (as [`Form::values`] gave them).
    pub fn changed_from(&self, initial: &[String]) -> bool {
        self.values() != initial
    }

    /// Takes out the field `name`, if the form has it.
    pub fn remove(&mut self, name: &str) {
        self.fields.retain(|f| f.name != name);
        self.focus = self.focus.min(self.fields.len().saturating_sub(1));
    }

    /// Adds a choice with `value` chosen (the first option when it is none of them).
    pub fn choice(
        self,
        name: &'static str,
        label: &str,
        choices: Vec<Choice>,
        value: &str,
    ) -> Form {
        let mut f = self.push(name, label, "", FieldKind::Choice(choices));
        f.set(name, value);
        f
    }

    /// Marks the last field added as required.
    pub fn required(mut self) -> Form {
        if let Some(f) = self.fields.last_mut() {
            f.required = true;
        }
        self
    }

    /// The value of field `name` ("" when there is no such field).
    pub fn get(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(Field::value)
            .unwrap_or_default()
    }

    /// Sets field `name` to `value` (for a choice, the option with that value).
    pub fn set(&mut self, name: &str, value: &str) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.name == name) {
            match &f.kind {
                FieldKind::Choice(choices) => {
                    f.chosen = choices.iter().position(|c| c.value == value).unwrap_or(0);
                }
                _ => f.text = text_area(value),
            }
        }
    }

    /// The focused field.
    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    /// Whether anything was typed or chosen: Esc would lose it.
    pub fn touched(&self, initial: &Form) -> bool {
        self.fields
            .iter()
            .zip(&initial.fields)
            .any(|(a, b)| a.value() != b.value())
    }

    /// Moves the focus to the next field (`forward`) or the previous one, round the form.
    pub fn move_focus(&mut self, forward: bool) {
        let n = self.fields.len().max(1);
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }

    /// Takes one key.
    pub fn input(&mut self, input: Input) -> FormOutcome {
        match (&input.key, input.ctrl, input.alt) {
            (Key::Esc, _, _) => return FormOutcome::Cancel,
            (Key::Char('s'), true, false) => {
                return match self.missing() {
                    None => FormOutcome::Submit,
                    Some(label) => {
                        self.error = Some(format!("{label} is needed"));
                        FormOutcome::Editing(true)
                    }
                };
            }
            (Key::Tab, _, _) => {
                self.move_focus(!input.shift);
                return FormOutcome::Editing(true);
            }
            _ => {}
        }
        self.error = None;
        let Some(field) = self.fields.get_mut(self.focus) else {
            return FormOutcome::Editing(false);
        };
        let letter = field.letter.take();
        match &field.kind {
            FieldKind::Choice(choices) => {
                let n = choices.len().max(1);
                match input.key {
                    Key::Right | Key::Char(' ') => field.chosen = (field.chosen + 1) % n,
                    Key::Left => field.chosen = (field.chosen + n - 1) % n,
                    Key::Enter | Key::Down => self.move_focus(true),
                    Key::Up => self.move_focus(false),
                    Key::Char(c) => {
                        let c = c.to_lowercase().next().unwrap_or(c);
                        // The first option from this one that starts with the letter, so that
                        // `a` on Advance keeps Advance; the same letter again goes on to the next.
                        let first = usize::from(letter == Some(c));
                        field.letter = Some(c);
                        let starts = |i: usize| {
                            choices[i % n]
                                .label
                                .chars()
                                .next()
                                .and_then(|f| f.to_lowercase().next())
                                == Some(c)
                        };
                        match (first..first + n)
                            .map(|d| field.chosen + d)
                            .find(|&i| starts(i))
                        {
                            Some(i) => field.chosen = i % n,
                            None => return FormOutcome::Editing(false),
                        }
                    }
                    _ => return FormOutcome::Editing(false),
                }
                FormOutcome::Editing(true)
            }
            // On a line and on the codes, Enter and ↓ go to the next field, ↑ to the one before.
            FieldKind::Line | FieldKind::Codes
                if matches!(input.key, Key::Enter | Key::Down | Key::Up) =>
            {
                self.move_focus(input.key != Key::Up);
                FormOutcome::Editing(true)
            }
            FieldKind::Line | FieldKind::Text => FormOutcome::Editing(field.text.input(input)),
            FieldKind::Codes => match input.key {
                Key::Backspace => {
                    let mut ids: Vec<String> = field
                        .value()
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect();
                    if ids.pop().is_none() {
                        return FormOutcome::Editing(false);
                    }
                    field.text = text_area(&ids.join(", "));
                    FormOutcome::Editing(true)
                }
                _ => FormOutcome::Editing(false),
            },
        }
    }

    /// The label of the first required field left empty.
    fn missing(&self) -> Option<String> {
        self.fields
            .iter()
            .find(|f| f.required && f.value().is_empty())
            .map(|f| f.label.clone())
    }
}

/// What each step kind means and how it moves the route, for the kind picker.
pub fn step_kind_choices() -> Vec<Choice> {
    StepKind::ALL
        .iter()
        .map(|&k| Choice {
            value: k.name().to_string(),
            label: k.name().to_string(),
            help: match k {
                StepKind::Advance => "moving toward the goal: +10 forward, back toward the line",
                StepKind::Detour => "a way round: +3 forward and 8 sideways",
                StepKind::Circle => "walking in circles: a loop that ends where it began",
                StepKind::Stall => "waiting: no move",
                StepKind::Blocked => "a wall ahead: no move",
                StepKind::Retreat => "a step back: −10",
                StepKind::Wander => "unsure where they are: +2 and a drift, in fog",
                StepKind::Arrive => "at the goal (or a sub-goal, if partial)",
            }
            .to_string(),
        })
        .collect()
}

/// The short form for a new step made from a passage: its kind, title, translation of the
/// quote, when, and narrative. Only the title is required.
pub fn step_form(title: &str, quote: &str) -> Form {
    Form::new(title)
        .choice("kind", "Kind", step_kind_choices(), "Advance")
        .line("title", "Title", "a few words: what happened", "")
        .required()
        .line(
            "translation",
            "Translation",
            &format!("of «{quote}» — empty: translation pending"),
            "",
        )
        .line("when", "When", "optional: a date or a phase", "")
        .text(
            "narrative",
            "Narrative",
            "optional: what happened, in a sentence or two",
            "",
        )
}

/// The form for a new journey, or for a journey's metadata: `themes` are the catalogue's
/// (id, English label, image) and `values` the fields' current values by name. The id is
/// suggested from the title by the caller when left empty.
pub fn journey_form(
    title: &str,
    themes: &[(String, String, String)],
    values: &[(&str, &str)],
) -> Form {
    let theme_choices = themes
        .iter()
        .map(|(id, en, image)| Choice {
            value: id.clone(),
            label: en.clone(),
            help: image.clone(),
        })
        .collect();
    let provenance = [
        ("Documented", "the source describes these events"),
        (
            "Reconstructed",
            "assembled from aggregate findings, or with order or dates inferred",
        ),
        (
            "Hypothetical",
            "a route not taken, a counterfactual, or illustrative",
        ),
    ]
    .iter()
    .map(|(v, help)| Choice {
        value: v.to_string(),
        label: v.to_string(),
        help: help.to_string(),
    })
    .collect();
    let mut form = Form::new(title)
        .line("title", "Title", "what the journey is, in a line", "")
        .required()
        .line(
            "id",
            "Id",
            "letters, digits, '-' and '_'; empty: made from the title",
            "",
        )
        .choice("theme", "Theme", theme_choices, "")
        .line("goal", "Goal", "where the group wanted to get to", "")
        .required()
        .choice("provenance", "Provenance", provenance, "Documented")
        .line(
            "why",
            "Why",
            "for Reconstructed or Hypothetical: how it was made",
            "",
        )
        .line("work", "Source", "the work cited: author (year), title", "");
    for (name, value) in values {
        form.set(name, value);
    }
    form
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: Key) -> Input {
        Input {
            key: k,
            ..Input::default()
        }
    }

    fn ctrl(c: char) -> Input {
        Input {
            key: Key::Char(c),
            ctrl: true,
            ..Input::default()
        }
    }

    fn typed(form: &mut Form, s: &str) {
        for c in s.chars() {
            form.input(key(Key::Char(c)));
        }
    }

    #[test]
    fn a_step_from_a_passage_in_few_keys() {
        let mut f = step_form("New step", "vi møttes");
        // The kind: "b" jumps to Blocked.
        assert_eq!(f.input(key(Key::Char('b'))), FormOutcome::Editing(true));
        assert_eq!(f.get("kind"), "Blocked");
        f.input(key(Key::Tab));
        typed(&mut f, "Møtet");
        f.input(key(Key::Enter));
        typed(&mut f, "we met");
        assert_eq!(f.input(ctrl('s')), FormOutcome::Submit);
        assert_eq!(f.get("title"), "Møtet");
        assert_eq!(f.get("translation"), "we met");
        assert_eq!(f.get("when"), "");
    }

    #[test]
    fn a_required_field_left_empty_stops_the_submit_and_says_which() {
        let mut f = step_form("New step", "x");
        assert_eq!(f.input(ctrl('s')), FormOutcome::Editing(true));
        assert_eq!(f.error.as_deref(), Some("Title is needed"));
        // A key clears the message.
        f.input(key(Key::Right));
        assert_eq!(f.error, None);
        assert_eq!(f.get("kind"), "Detour", "→ moves through the choices");
        f.input(key(Key::Left));
        f.input(key(Key::Left));
        assert_eq!(f.get("kind"), "Arrive", "← wraps round");
        assert_eq!(f.input(key(Key::Esc)), FormOutcome::Cancel);
    }

    #[test]
    fn tab_goes_round_and_enter_in_a_text_field_is_a_new_line() {
        let mut f = step_form("New step", "x");
        let initial = step_form("New step", "x");
        for _ in 0..4 {
            f.input(key(Key::Tab));
        }
        assert_eq!(f.focused().map(|f| f.name), Some("narrative"));
        typed(&mut f, "En");
        f.input(key(Key::Enter));
        typed(&mut f, "to");
        assert_eq!(f.get("narrative"), "En\nto");
        assert!(f.touched(&initial));
        f.input(key(Key::Tab));
        assert_eq!(f.focus, 0, "round to the first field");
        f.input(Input {
            key: Key::Tab,
            shift: true,
            ..Input::default()
        });
        assert_eq!(f.focus, 4, "Shift-Tab goes back");
    }

    #[test]
    fn the_journey_form_offers_the_themes_and_takes_values() {
        let themes = vec![
            (
                "models".to_string(),
                "Models".to_string(),
                "A wall.".to_string(),
            ),
            (
                "informal".to_string(),
                "Informal".to_string(),
                "Glad to walk.".to_string(),
            ),
        ];
        let mut f = journey_form("New journey", &themes, &[("theme", "informal")]);
        assert_eq!(f.get("theme"), "informal");
        assert_eq!(f.get("provenance"), "Documented");
        assert_eq!(
            f.input(ctrl('s')),
            FormOutcome::Editing(true),
            "title and goal needed"
        );
        f.set("title", "Gruppe 19");
        f.set("goal", "Samarbeid");
        assert_eq!(f.input(ctrl('s')), FormOutcome::Submit);
    }

    #[test]
    fn set_and_get_by_name() {
        let mut f = step_form("Edit step", "x");
        f.set("kind", "Wander");
        f.set("title", "I tåka");
        assert_eq!(f.get("kind"), "Wander");
        assert_eq!(f.get("title"), "I tåka");
        f.set("kind", "NoSuchKind");
        assert_eq!(
            f.get("kind"),
            "Advance",
            "an unknown value chooses the first"
        );
        assert_eq!(f.get("nothing"), "");
    }
}
