//! The screen an empty study opens on: what the study is, and what to do first — bring in a
//! source, or start a journey — with the keys and commands that do it.
//!
//! A pure function of the study's title and what it holds.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::ui::text::inert;
use crate::ui::theme::Look;

/// What the welcome screen says about the study.
pub struct Study<'a> {
    pub title: &'a str,
    pub sources: usize,
    pub journeys: usize,
}

/// Draws the first steps for a study with no journeys (and perhaps no sources) yet.
pub fn draw(frame: &mut Frame, area: Rect, study: &Study, look: &Look) {
    let block = look.block(true).title(format!(" {} ", inert(study.title)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let key = |k: &str| Span::styled(k.to_string(), look.key());
    let text = |t: &str| Span::styled(t.to_string(), look.text());
    let mut lines = vec![
        Line::styled(
            format!(
                "This study has {} and {} so far.",
                plural(study.sources, "source"),
                plural(study.journeys, "journey")
            ),
            look.title(),
        ),
        Line::default(),
    ];
    if study.sources == 0 {
        lines.extend([
            Line::from(vec![
                text("1. Bring in your documents: "),
                key(":source add PATH"),
                text(" and Enter"),
            ]),
            Line::styled(
                "   txt, md, docx, odt, html, pdf, or a REFI-QDA .qdpx project",
                look.dim(),
            ),
            Line::from(vec![
                text("2. Read one: "),
                key("6"),
                text(", then "),
                key("Enter"),
            ]),
        ]);
    } else {
        lines.push(Line::from(vec![
            text("1. Read your sources: "),
            key("6"),
            text(", then "),
            key("Enter"),
            text(" on one"),
        ]));
        lines.push(Line::from(vec![
            text("2. Bring in more: "),
            key(":source add PATH"),
        ]));
    }
    lines.extend([
        Line::from(vec![
            text("3. Find a passage ("),
            key("/"),
            text("), select it ("),
            key("v"),
            text(", then "),
            key("w ) }"),
            text(" to extend, or drag)"),
        ]),
        Line::from(vec![
            text("4. "),
            key("s"),
            text(" makes it a step; the first starts a journey, the next follow it"),
        ]),
        Line::from(vec![
            text("Or write a journey without sources: "),
            key("N"),
            text(" starts one."),
        ]),
        Line::default(),
        Line::from(vec![
            key("?"),
            text(" lists every key; "),
            key("q"),
            text(" quits."),
        ]),
    ]);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn plural(n: usize, what: &str) -> String {
    match n {
        0 => format!("no {what}s"),
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    #[test]
    fn an_empty_study_is_told_what_to_do_first() {
        let mut t = Terminal::new(TestBackend::new(80, 12)).expect("a test terminal");
        let study = Study {
            title: "Samhandling i Ås",
            sources: 0,
            journeys: 0,
        };
        t.draw(|f| draw(f, f.area(), &study, &Look::default()))
            .expect("a frame");
        let buf = t.backend().buffer();
        let screen: String = (0..12)
            .map(|y| (0..80).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n")
            .collect();
        assert!(screen.contains("Samhandling i Ås"), "{screen}");
        assert!(screen.contains("no sources and no journeys"), "{screen}");
        assert!(screen.contains(":source add PATH"), "{screen}");
        assert!(screen.contains("2. Read one: 6, then Enter"), "{screen}");
        assert!(screen.contains("4. s makes it a step"), "{screen}");
    }
}
