//! Colours and styles: a dark and a light palette of the 16 named colours, and a plain one for
//! `NO_COLOR`. Selection is never shown by colour alone: every selected row also gets a marker
//! symbol (`▶`, or `>` in ASCII), and the current step an underline, so it survives `NO_COLOR`.

use ratatui::style::{Color, Modifier, Style};

use crate::model::NamedColor;

/// Which palette to draw with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
}

/// Everything drawing needs to choose a look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    pub theme: ThemeName,
    /// `NO_COLOR`: no colours at all; attributes and symbols carry the meaning.
    pub no_color: bool,
    /// ASCII glyphs instead of Unicode and box-drawing characters.
    pub ascii: bool,
}

impl Default for Look {
    fn default() -> Self {
        Look {
            theme: ThemeName::Dark,
            no_color: false,
            ascii: false,
        }
    }
}

impl Look {
    fn fg(&self, c: Color) -> Style {
        if self.no_color {
            Style::default()
        } else {
            Style::default().fg(c)
        }
    }

    /// The terminal colour for a catalogue colour, adjusted for the palette.
    pub fn named(&self, c: NamedColor) -> Style {
        let color = match (self.theme, c) {
            // Light backgrounds wash out the light variants; use the darker ones there.
            (ThemeName::Light, NamedColor::LightYellow | NamedColor::Yellow) => Color::Yellow,
            (ThemeName::Light, NamedColor::LightGreen) => Color::Green,
            (ThemeName::Light, NamedColor::LightCyan) => Color::Cyan,
            (ThemeName::Light, NamedColor::LightRed) => Color::Red,
            (ThemeName::Light, NamedColor::LightMagenta) => Color::Magenta,
            (ThemeName::Light, NamedColor::LightBlue) => Color::Blue,
            (ThemeName::Light, NamedColor::White | NamedColor::Gray) => Color::DarkGray,
            // And a dark background swallows black.
            (ThemeName::Dark, NamedColor::Black) => Color::DarkGray,
            (_, c) => to_color(c),
        };
        self.fg(color)
    }

    pub fn text(&self) -> Style {
        Style::default()
    }

    pub fn dim(&self) -> Style {
        // On a white background ANSI 7 (gray) all but vanishes; bright black (ANSI 8) reads.
        let base = self.fg(match self.theme {
            ThemeName::Dark => Color::DarkGray,
            ThemeName::Light => Color::DarkGray,
        });
        if self.no_color {
            base.add_modifier(Modifier::DIM)
        } else {
            base
        }
    }

    pub fn title(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn accent(&self) -> Style {
        self.fg(match self.theme {
            ThemeName::Dark => Color::Cyan,
            ThemeName::Light => Color::Blue,
        })
        .add_modifier(Modifier::BOLD)
    }

    /// A selected row: reversed, and the caller adds [`Look::marker`] in front.
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn focus_border(&self) -> Style {
        self.accent()
    }

    pub fn border(&self) -> Style {
        self.dim()
    }

    pub fn route(&self) -> Style {
        self.fg(match self.theme {
            ThemeName::Dark => Color::White,
            ThemeName::Light => Color::Black,
        })
    }

    pub fn current(&self) -> Style {
        // Yellow is pale on white: the light palette marks the current step in magenta.
        self.fg(match self.theme {
            ThemeName::Dark => Color::Yellow,
            ThemeName::Light => Color::Magenta,
        })
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn goal(&self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }

    pub fn warning(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// The style of the `i`-th compared journey or theme, wherever it appears (pane title,
    /// curve, legend, matrix column): distinct colours, and without colour distinct
    /// attributes.
    pub fn series(&self, i: usize) -> Style {
        if self.no_color {
            let m = [
                Modifier::BOLD,
                Modifier::ITALIC,
                Modifier::UNDERLINED,
                Modifier::REVERSED,
            ];
            return Style::default().add_modifier(m[i % m.len()]);
        }
        // Eight, for the eight themes of the terrain screen (with a fill of their own each, see
        // `glyphs::theme_fill`); the first four for compared journeys.
        let dark = [
            Color::LightCyan,
            Color::LightMagenta,
            Color::LightYellow,
            Color::LightGreen,
            Color::LightRed,
            Color::LightBlue,
            Color::White,
            Color::Cyan,
        ];
        let light = [
            Color::Blue,
            Color::Magenta,
            Color::Red,
            Color::Green,
            Color::Black,
            Color::DarkGray,
            Color::Cyan,
            Color::Yellow,
        ];
        let palette = match self.theme {
            ThemeName::Dark => dark,
            ThemeName::Light => light,
        };
        Style::default().fg(palette[i % palette.len()])
    }

    pub fn key(&self) -> Style {
        self.accent()
    }

    /// A bordered block in this look: box-drawing borders, or `+ - |` with `--ascii`.
    pub fn block(&self, focused: bool) -> ratatui::widgets::Block<'static> {
        use ratatui::symbols::border;
        const ASCII: border::Set = border::Set {
            top_left: "+",
            top_right: "+",
            bottom_left: "+",
            bottom_right: "+",
            vertical_left: "|",
            vertical_right: "|",
            horizontal_top: "-",
            horizontal_bottom: "-",
        };
        // The focused pane has a heavier border, so focus shows without colour too.
        const ASCII_FOCUSED: border::Set = border::Set {
            top_left: "#",
            top_right: "#",
            bottom_left: "#",
            bottom_right: "#",
            vertical_left: "|",
            vertical_right: "|",
            horizontal_top: "=",
            horizontal_bottom: "=",
        };
        let set = match (self.ascii, focused) {
            (true, false) => ASCII,
            (true, true) => ASCII_FOCUSED,
            (false, false) => border::PLAIN,
            (false, true) => border::THICK,
        };
        ratatui::widgets::Block::bordered()
            .border_set(set)
            .border_style(if focused {
                self.focus_border()
            } else {
                self.border()
            })
    }

    /// The symbol in front of a selected row.
    pub fn marker(&self) -> &'static str {
        if self.ascii { ">" } else { "▶" }
    }
}

fn to_color(c: NamedColor) -> Color {
    match c {
        NamedColor::Black => Color::Black,
        NamedColor::Red => Color::Red,
        NamedColor::Green => Color::Green,
        NamedColor::Yellow => Color::Yellow,
        NamedColor::Blue => Color::Blue,
        NamedColor::Magenta => Color::Magenta,
        NamedColor::Cyan => Color::Cyan,
        NamedColor::Gray => Color::Gray,
        NamedColor::DarkGray => Color::DarkGray,
        NamedColor::LightRed => Color::LightRed,
        NamedColor::LightGreen => Color::LightGreen,
        NamedColor::LightYellow => Color::LightYellow,
        NamedColor::LightBlue => Color::LightBlue,
        NamedColor::LightMagenta => Color::LightMagenta,
        NamedColor::LightCyan => Color::LightCyan,
        NamedColor::White => Color::White,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On a white background, ANSI 7 (gray) and 15 (white) text all but vanishes, and yellow
    /// is pale: the light palette draws no text in them.
    #[test]
    fn the_light_palette_draws_nothing_in_gray_white_or_yellow() {
        let look = Look {
            theme: ThemeName::Light,
            ..Look::default()
        };
        let pale = [Color::Gray, Color::White, Color::Yellow, Color::LightYellow];
        let styles = [
            ("text", look.text()),
            ("dim", look.dim()),
            ("title", look.title()),
            ("accent", look.accent()),
            ("route", look.route()),
            ("current", look.current()),
            ("goal", look.goal()),
            ("warning", look.warning()),
            ("border", look.border()),
            ("focus", look.focus_border()),
            ("key", look.key()),
        ];
        for (name, style) in styles {
            assert!(
                style.fg.is_none_or(|c| !pale.contains(&c)),
                "{name}: {:?}",
                style.fg
            );
        }
        // The first four series (compared journeys) too; the theme fills tell the rest apart.
        for k in 0..4 {
            assert!(!pale.contains(&look.series(k).fg.unwrap()), "series {k}");
        }
    }

    #[test]
    fn no_catalogue_colour_vanishes_into_the_background() {
        let all = [
            NamedColor::Black,
            NamedColor::Red,
            NamedColor::Green,
            NamedColor::Yellow,
            NamedColor::Blue,
            NamedColor::Magenta,
            NamedColor::Cyan,
            NamedColor::Gray,
            NamedColor::DarkGray,
            NamedColor::LightRed,
            NamedColor::LightGreen,
            NamedColor::LightYellow,
            NamedColor::LightBlue,
            NamedColor::LightMagenta,
            NamedColor::LightCyan,
            NamedColor::White,
        ];
        for (theme, invisible) in [
            (ThemeName::Light, [Color::White, Color::Gray]),
            (ThemeName::Dark, [Color::Black, Color::Black]),
        ] {
            let look = Look {
                theme,
                ..Look::default()
            };
            for c in all {
                let fg = look.named(c).fg;
                assert!(
                    !invisible.iter().any(|i| Some(*i) == fg),
                    "{c:?} in {theme:?} is {fg:?}"
                );
            }
        }
    }
}
