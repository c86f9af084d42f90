//! The app's behaviour without a terminal: actions in, state and drawn frames out.

use std::path::{Path, PathBuf};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use terreng::app::state::{Focus, Overlay, Screen};
use terreng::app::{Action, App, Effect, update};
use terreng::store::{self, DataSource};
use terreng::ui::theme::Look;
use terreng::ui::{self, Hits};

fn fixture_app() -> App {
    let data = store::load(
        &DataSource::Dir(PathBuf::from("tests/fixtures/good/journeys")),
        Some(Path::new("tests/fixtures/good/terrain.ron")),
    );
    App::new(data, Look::default())
}

fn bundled_app() -> App {
    App::new(store::load(&DataSource::Bundled, None), Look::default())
}

fn act(app: &mut App, actions: &[Action]) {
    for a in actions {
        update(app, a.clone());
    }
}

fn render(app: &App, w: u16, h: u16) -> (String, Hits) {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut hits = Hits::default();
    t.draw(|f| hits = ui::draw(f, app)).unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        for x in 0..w {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    (out, hits)
}

#[test]
fn enter_opens_the_selected_journey_and_esc_comes_back() {
    let mut app = fixture_app();
    assert_eq!(app.screen, Screen::Atlas);
    act(&mut app, &[Action::Open]);
    assert_eq!(app.screen, Screen::Journey);
    assert_eq!(app.journey.step, 0);
    act(&mut app, &[Action::Close]);
    assert_eq!(app.screen, Screen::Atlas);
}

#[test]
fn stepping_stops_at_both_ends() {
    let mut app = fixture_app();
    act(&mut app, &[Action::Open, Action::StepPrev]);
    assert_eq!(app.journey.step, 0);
    act(
        &mut app,
        &[Action::StepNext, Action::StepNext, Action::StepNext],
    );
    assert_eq!(app.journey.step, 1, "the fixture has two steps");
    act(&mut app, &[Action::StepFirst]);
    assert_eq!(app.journey.step, 0);
    act(&mut app, &[Action::StepLast]);
    assert_eq!(app.journey.step, 1);
}

#[test]
fn play_ticks_through_the_journey_and_stops_at_the_end() {
    let mut app = fixture_app();
    act(&mut app, &[Action::Open, Action::Play]);
    assert!(app.playing);
    let (_, changed) = update(&mut app, Action::Tick);
    assert!(changed);
    assert_eq!(app.journey.step, 1);
    assert!(!app.playing, "stops on reaching the last step");
    let (_, changed) = update(&mut app, Action::Tick);
    assert!(!changed, "a tick after the end changes nothing");
    // Play from the end starts again at the first step.
    act(&mut app, &[Action::Play]);
    assert_eq!(app.journey.step, 0);
    assert!(app.playing);
    // Stepping by hand stops playing.
    act(&mut app, &[Action::StepNext]);
    assert!(!app.playing);
}

#[test]
fn the_strip_has_its_own_cursor_and_enter_jumps_to_it() {
    let mut app = fixture_app();
    act(&mut app, &[Action::Open, Action::FocusNext]);
    assert_eq!(app.focus, Focus::Strip);
    act(&mut app, &[Action::StepNext]);
    assert_eq!((app.journey.step, app.journey.strip_cursor), (0, 1));
    act(&mut app, &[Action::Open]);
    assert_eq!(app.journey.step, 1);
}

#[test]
fn help_opens_closes_and_swallows_other_keys() {
    let mut app = fixture_app();
    act(&mut app, &[Action::Help]);
    assert_eq!(app.overlay, Overlay::Help);
    act(&mut app, &[Action::Open]);
    assert_eq!(app.screen, Screen::Atlas, "keys behind the help do nothing");
    act(&mut app, &[Action::Close]);
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(update(&mut app, Action::Quit).0, Effect::Quit);
}

#[test]
fn quit_works_from_everywhere() {
    let mut app = fixture_app();
    act(&mut app, &[Action::Help]);
    assert_eq!(update(&mut app, Action::Quit).0, Effect::Quit);
    let mut app = fixture_app();
    act(&mut app, &[Action::Filter]);
    assert_eq!(update(&mut app, Action::Quit).0, Effect::Quit);
}

#[test]
fn clicks_hit_what_was_drawn() {
    let mut app = fixture_app();
    act(&mut app, &[Action::Open]);
    let (_, hits) = render(&app, 100, 30);
    assert_eq!(hits.strip.len(), 2);
    let (rect, step) = hits.strip[1];
    assert_eq!(step, 1);
    assert!(rect.width > 0);
    assert_eq!(hits.map_steps.len(), 2);
    assert!(hits.detail.is_some());
}

#[test]
fn a_terminal_below_the_minimum_gets_a_message_and_no_size_panics() {
    let app = fixture_app();
    let (text, hits) = render(&app, 59, 18);
    assert!(text.contains("Terminal too small: 59×18"), "{text}");
    assert_eq!(hits, Hits::default());
    for (w, h) in [(1, 1), (0, 0), (60, 18), (200, 60), (300, 5)] {
        render(&app, w, h);
    }
    let mut app = fixture_app();
    act(&mut app, &[Action::Open]);
    for (w, h) in [(1, 1), (0, 0), (60, 18), (61, 19), (200, 60)] {
        render(&app, w, h);
    }
}

#[test]
fn the_filter_narrows_by_any_text_and_esc_clears_it() {
    let mut app = bundled_app();
    let all = app.visible.len();
    act(&mut app, &[Action::Filter]);
    for c in "fjellvegg".chars() {
        act(&mut app, &[Action::FilterInput(c)]);
    }
    let hits = app.visible.len();
    assert!(hits > 0 && hits < all, "{hits} of {all}");
    assert!(
        app.visible
            .iter()
            .all(|&i| app.data.journeys[i].theme == "models" || {
                let j = &app.data.journeys[i];
                j.steps.iter().any(|s| {
                    s.evidence
                        .iter()
                        .any(|e| e.quote.to_lowercase().contains("fjellvegg"))
                }) || j
                    .steps
                    .iter()
                    .any(|s| s.obstacles.iter().any(|o| o == "tacit_resistance"))
            })
    );
    act(&mut app, &[Action::FilterAccept]);
    assert!(!app.atlas.typing);
    assert_eq!(app.visible.len(), hits, "Enter keeps the filter");
    act(&mut app, &[Action::Close]);
    assert_eq!(app.visible.len(), all, "Esc clears it");
}
