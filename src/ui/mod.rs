//! Drawing: a pure function of the app's state.
//!
//! [`draw`] does no I/O and computes nothing heavy (routes and filters are computed when data
//! changes, in [`crate::app`]); it returns the rectangles it used so the event loop can hit-test
//! mouse clicks against them. Every string from a file goes through [`text::inert`] first.

pub mod agree;
pub mod atlas;
pub mod codebook;
pub mod compare;
pub mod confirm;
pub mod form;
pub mod glyphs;
pub mod help;
pub mod journey;
pub mod map;
pub mod notes;
pub mod reading;
pub mod sequences;
pub mod sources;
pub mod terrain;
pub mod text;
pub mod theme;
pub mod welcome;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::state::{App, Overlay, Screen};

/// The smallest terminal terreng draws its screens in.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 18;

/// Where things were drawn, for mouse hit-testing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hits {
    /// Atlas rows: the rectangle and the index into `App::visible`.
    pub atlas_rows: Vec<(Rect, usize)>,
    /// Step strip cells: the rectangle and the step index.
    pub strip: Vec<(Rect, usize)>,
    /// Step points on the map: the cell and the step index.
    pub map_steps: Vec<(Rect, usize)>,
    pub detail: Option<Rect>,
    /// The sources list's rows: the rectangle and the index of the source.
    pub source_rows: Vec<(Rect, usize)>,
    /// The reading view's text (without its margin and gutter).
    pub reading: Option<Rect>,
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) -> Hits {
    let area = frame.area();
    let mut hits = Hits::default();
    if too_small(area.width, area.height) {
        draw_too_small(frame, area);
    } else {
        draw_screens(frame, area, app, &mut hits);
    }
    if app.look.ascii {
        fold_to_ascii(frame.buffer_mut());
    }
    hits
}

/// The rows of the status line in a frame `width` wide: none when there is nothing to say,
/// more than one for a long message (see [`notes::status_rows`]).
pub fn status_height(app: &App, width: u16) -> u16 {
    notes::status_rows(app, width)
}

/// The header, body, status and key bar of a frame.
pub fn frame_areas(app: &App, area: Rect) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(status_height(app, area.width)),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// The body of a frame of the last known size, where screens and overlays are drawn; `None`
/// until the size is known. For `update`, which keeps selections in view.
pub fn body_area(app: &App) -> Option<Rect> {
    let (w, h) = app.frame?;
    let [_, body, _, _] = frame_areas(app, Rect::new(0, 0, w, h));
    Some(body)
}

/// Whether a frame is below the smallest terreng draws its screens in.
pub fn too_small(width: u16, height: u16) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

fn draw_screens(frame: &mut Frame, area: Rect, app: &App, hits: &mut Hits) {
    let [header, body, status, bar] = frame_areas(app, area);
    match app.screen {
        Screen::Atlas if shows_welcome(app) => {
            let title = app
                .sources
                .title
                .clone()
                .unwrap_or_else(|| app.session.data.source.describe());
            let study = welcome::Study {
                title: &title,
                sources: app.sources.sources().len(),
                journeys: 0,
            };
            let head = Line::from(vec![
                Span::styled(" terreng ", app.look.title()),
                Span::styled("· a study of your own ", app.look.accent()),
                Span::raw(format!("· {} ", text::inert(&app.session.summary))),
            ]);
            frame.render_widget(Paragraph::new(head), header);
            welcome::draw(frame, body, &study, &app.look);
        }
        Screen::Atlas => atlas::draw(frame, body, header, app, hits),
        Screen::Journey => journey::draw(frame, body, header, app, hits),
        Screen::Compare => compare::draw(frame, body, header, app),
        Screen::Terrain => terrain::draw(frame, body, header, app),
        Screen::Agreement => agree::draw(frame, body, header, app),
        Screen::Codebook => codebook::draw(frame, body, header, app),
        Screen::Sources => sources::draw(frame, body, header, app, hits),
        Screen::Sequences => sequences::draw(frame, body, header, app),
    }
    notes::draw_status(frame, status, app);
    help::draw_key_bar(frame, bar, app);
    match app.overlay {
        Overlay::None => {}
        Overlay::Help => help::draw_help(frame, body, app),
        Overlay::Problems => help::draw_problems(frame, body, app),
        Overlay::Editor => notes::draw_editor(frame, body, app),
        Overlay::Orphans => notes::draw_orphans(frame, body, app),
        Overlay::ConfirmQuit => notes::draw_confirm_quit(frame, body, app),
        Overlay::Form => {
            if let Some(f) = &app.form {
                form::draw(frame, body, &f.form, &app.look);
            }
        }
        Overlay::Confirm => {
            // Asked over a form or the picker: they stay in view under the question.
            if let Some(f) = &app.form {
                form::draw(frame, body, &f.form, &app.look);
            }
            if app.editor.is_some() {
                notes::draw_editor(frame, body, app);
            }
            confirm::draw(frame, body, app);
        }
    }
}

/// Whether the atlas gives way to the welcome: a study of one's own with no journey yet, its
/// sources read, and nothing still loading.
pub fn shows_welcome(app: &App) -> bool {
    app.sources.root.is_some()
        && app.sources.list.is_some()
        && app.session.data.journeys.is_empty()
        && app.session.loading.is_none()
}

/// For `--ascii`: every symbol a terminal without Unicode glyphs may lack becomes an ASCII
/// stand-in, in UI decoration and file text alike. Letters stay (Norwegian æ, ø, å are text,
/// not glyphs); a symbol with no stand-in becomes `?`.
pub fn fold_to_ascii(buf: &mut ratatui::buffer::Buffer) {
    for cell in buf.content.iter_mut() {
        let s = cell.symbol();
        if s.is_ascii() {
            continue;
        }
        let mut chars = s.chars();
        let first = chars.next().unwrap_or(' ');
        if first.is_alphabetic() && chars.all(|c| !c.is_alphanumeric()) {
            continue;
        }
        let stand_in = match first {
            '·' | '•' | '…' => ".",
            '—' | '–' | '─' | '═' => "-",
            '«' | '»' | '“' | '”' | '„' => "\"",
            '‘' | '’' => "'",
            '×' => "x",
            '▏' | '│' | '║' => "|",
            '▶' => ">",
            '◀' => "<",
            '→' => ">",
            '←' => "<",
            '\u{a0}' => " ",
            _ => "?",
        };
        cell.set_symbol(stand_in);
    }
}

/// In place of a screen whose analysis has not come back yet: what is being computed. Keys work
/// meanwhile; the screen fills in when the result is in.
pub fn draw_computing(frame: &mut Frame, body: Rect, app: &App, title: &str) -> bool {
    let Some(what) = app.session.analysis.computing() else {
        return false;
    };
    let look = &app.look;
    let block = look.block(true).title(format!(" {title} "));
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let text = vec![
        Line::styled(format!("Computing: {what}…"), look.title()),
        Line::raw(""),
        Line::raw("The screen fills in when it is done; the keys work meanwhile."),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
    true
}

fn draw_too_small(frame: &mut Frame, area: Rect) {
    let msg = format!(
        "Terminal too small: {}×{}. terreng needs at least {MIN_WIDTH}×{MIN_HEIGHT}. Enlarge the window, or press q to quit; other keys wait until it is large enough.",
        area.width, area.height
    );
    let p = Paragraph::new(Line::from(Span::raw(msg))).wrap(Wrap { trim: true });
    frame.render_widget(p, area);
}
