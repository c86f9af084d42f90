//! The app's behaviour without a terminal: actions in, state and drawn frames out.

use std::path::{Path, PathBuf};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use terreng::app::state::{Focus, Overlay, Screen};
use terreng::app::{Action, App, Effect};
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
        terreng::app::act(app, a.clone());
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
    assert!(app.journey.playing);
    let changed = terreng::app::act(&mut app, Action::Tick).contains(&Effect::Redraw);
    assert!(changed);
    assert_eq!(app.journey.step, 1);
    assert!(!app.journey.playing, "stops on reaching the last step");
    let changed = terreng::app::act(&mut app, Action::Tick).contains(&Effect::Redraw);
    assert!(!changed, "a tick after the end changes nothing");
    // Play from the end starts again at the first step.
    act(&mut app, &[Action::Play]);
    assert_eq!(app.journey.step, 0);
    assert!(app.journey.playing);
    // Stepping by hand stops playing.
    act(&mut app, &[Action::StepNext]);
    assert!(!app.journey.playing);
}

#[test]
fn with_the_strip_focused_the_arrows_move_the_step() {
    let mut app = fixture_app();
    act(&mut app, &[Action::Open, Action::FocusNext]);
    assert_eq!(app.journey.focus, Focus::Strip);
    act(&mut app, &[Action::StepNext]);
    assert_eq!((app.journey.step, app.journey.strip_cursor), (1, 1));
    act(&mut app, &[Action::Up]);
    assert_eq!(app.journey.step, 0);
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
    assert!(terreng::app::act(&mut app, Action::Quit).contains(&Effect::Quit));
}

#[test]
fn quit_works_from_everywhere() {
    let mut app = fixture_app();
    act(&mut app, &[Action::Help]);
    assert!(terreng::app::act(&mut app, Action::Quit).contains(&Effect::Quit));
    let mut app = fixture_app();
    act(&mut app, &[Action::Filter]);
    assert!(terreng::app::act(&mut app, Action::Quit).contains(&Effect::Quit));
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
    // The compare and terrain screens, with and without their lists open, at every size
    // from the minimum up: nothing panics, and the screen's header is drawn.
    let mut compare = bundled_app();
    mark(&mut compare, &["g01", "g06", "g10", "g15"]);
    act(&mut compare, &[Action::ShowCompare]);
    let mut themes = bundled_app();
    mark(&mut themes, &["g01"]);
    act(&mut themes, &[Action::MarkTheme, Action::ShowCompare]);
    let mut cell = bundled_app();
    mark(&mut cell, &["g01", "g06"]);
    act(
        &mut cell,
        &[Action::ShowCompare, Action::FocusNext, Action::Open],
    );
    let mut terrain = bundled_app();
    act(&mut terrain, &[Action::ShowTerrain]);
    let mut segments = bundled_app();
    act(&mut segments, &[Action::ShowTerrain, Action::Open]);
    for app in [&compare, &themes, &cell, &terrain, &segments] {
        for w in (60..=130).step_by(7) {
            for h in (18..=40).step_by(5) {
                let (text, _) = render(app, w, h);
                assert!(
                    text.contains("· compare") || text.contains("· terrain"),
                    "{w}x{h}:\n{text}"
                );
            }
        }
    }
}

#[test]
fn the_filter_narrows_by_any_text_and_esc_clears_it() {
    let mut app = bundled_app();
    let all = app.session.visible.len();
    act(&mut app, &[Action::Filter]);
    for c in "fjellvegg".chars() {
        act(&mut app, &[Action::FilterInput(c)]);
    }
    let hits = app.session.visible.len();
    assert!(hits > 0 && hits < all, "{hits} of {all}");
    assert!(
        app.session
            .visible
            .iter()
            .all(|&i| app.session.data.journeys[i].theme == "models" || {
                let j = &app.session.data.journeys[i];
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
    assert_eq!(app.session.visible.len(), hits, "Enter keeps the filter");
    act(&mut app, &[Action::Close]);
    assert_eq!(app.session.visible.len(), all, "Esc clears it");
}

/// Marks the journeys with these ids from the atlas.
fn mark(app: &mut App, ids: &[&str]) {
    for id in ids {
        let pos = app
            .session
            .visible
            .iter()
            .position(|&i| app.session.data.journeys[i].id == *id)
            .unwrap();
        act(app, &[Action::SelectRow(pos), Action::Mark]);
    }
}

#[test]
fn marking_toggles_holds_at_most_four_and_themes_replace_journeys() {
    let mut app = bundled_app();
    mark(&mut app, &["g01", "g06"]);
    let id = |app: &App, k: usize| app.session.data.journeys[app.session.marked[k]].id.clone();
    assert_eq!((id(&app, 0), id(&app, 1)), ("g01".into(), "g06".into()));
    mark(&mut app, &["g01"]);
    assert_eq!(app.session.marked.len(), 1, "m again unmarks");
    mark(&mut app, &["g01", "g10", "g15", "g16"]);
    assert_eq!(app.session.marked.len(), 4, "a fifth is refused");
    assert!(app.flash.as_deref().unwrap().contains("already"));
    act(&mut app, &[Action::MarkTheme]);
    assert!(app.session.marked.is_empty());
    assert_eq!(app.session.marked_themes, vec!["informal".to_string()]);
    act(&mut app, &[Action::ShowCompare, Action::ClearMarks]);
    assert!(app.session.marked_themes.is_empty() && app.session.analysis.compare.is_none());
}

/// Lockstep by step number holds a shorter journey at its last step; by position, both reach
/// their ends together. g01 is shorter than g02.
#[test]
fn lockstep_by_step_and_by_position() {
    let mut app = bundled_app();
    mark(&mut app, &["g01", "g02"]);
    act(&mut app, &[Action::ShowCompare, Action::StepLast]);
    let len = |id: &str| app.session.data.journey(id).unwrap().steps.len();
    let (n1, n2) = (len("g01"), len("g02"));
    assert!(n1 < n2, "{n1} {n2}");
    assert_eq!(app.lockstep(n2), (n2 - 1, false));
    assert_eq!(app.lockstep(n1), (n1 - 1, true), "held at its end");
    act(
        &mut app,
        &[Action::StepFirst, Action::StepNext, Action::StepNext],
    );
    assert_eq!(app.lockstep(n1), (2, false));
    act(&mut app, &[Action::ToggleLockstep, Action::StepLast]);
    assert_eq!(app.lockstep(n1), (n1 - 1, false));
    // Halfway along the longer journey is halfway along the shorter one.
    act(&mut app, &[Action::StepFirst]);
    for _ in 0..(n2 - 1) / 2 {
        act(&mut app, &[Action::StepNext]);
    }
    let t = ((n2 - 1) / 2) as f64 / (n2 - 1) as f64;
    assert_eq!(app.lockstep(n1).0, (t * (n1 - 1) as f64).round() as usize);
}

/// Enter on a matrix cell lists the steps behind its count; Enter on one opens it in the
/// journey screen, and Esc comes back to the compare screen.
#[test]
fn the_matrix_cell_lists_its_steps_and_jumps_to_one() {
    let mut app = bundled_app();
    mark(&mut app, &["g01", "g06"]);
    act(&mut app, &[Action::ShowCompare, Action::FocusNext]);
    let v = app.session.analysis.compare.clone().unwrap();
    let row = v
        .matrix
        .codes
        .iter()
        .position(|c| c == "tacit_resistance")
        .unwrap();
    for _ in 0..row {
        act(&mut app, &[Action::Down]);
    }
    act(&mut app, &[Action::StepNext]); // to column 2: g06
    let g06 = app.session.data.journey("g06").unwrap();
    let expected: Vec<usize> = g06
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.obstacles.iter().any(|o| o == "tacit_resistance"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(v.matrix.counts[row][1], expected.len());
    act(&mut app, &[Action::Open, Action::Down, Action::Open]);
    assert_eq!(app.screen, Screen::Journey);
    assert_eq!(app.current_journey().unwrap().id, "g06");
    assert_eq!(app.journey.step, expected[1]);
    act(&mut app, &[Action::Close]);
    assert_eq!(app.screen, Screen::Compare);
}

/// The terrain screen lists every catalogue kind; Enter on the most met lists every step that
/// meets it, and Enter jumps to the first. The atlas filter narrows what is in view.
#[test]
fn the_terrain_screen_retrieves_coded_steps_and_follows_the_filter() {
    let mut app = bundled_app();
    act(&mut app, &[Action::ShowTerrain]);
    let v = app.session.analysis.terrain.clone().unwrap();
    assert_eq!(v.rows.len(), app.session.data.terrain.features().count());
    let top = &v.rows[0];
    let by_hand = app
        .session
        .data
        .journeys
        .iter()
        .flat_map(|j| &j.steps)
        .filter(|s| s.codes().any(|c| c == top.code))
        .count();
    assert_eq!(top.steps, by_hand);
    act(&mut app, &[Action::Open, Action::Open]);
    assert_eq!(app.screen, Screen::Journey);
    let (ji, si) = top.segments[0];
    assert_eq!(app.journey.journey, ji);
    assert_eq!(app.journey.step, si);
    // Only the models groups in view: the wall is common to all of them.
    act(&mut app, &[Action::ShowAtlas, Action::Filter]);
    for c in "expert-developed".chars() {
        act(&mut app, &[Action::FilterInput(c)]);
    }
    act(&mut app, &[Action::FilterAccept, Action::ShowTerrain]);
    let v = app.session.analysis.terrain.clone().unwrap();
    assert_eq!(v.journeys, app.session.visible.len());
    assert!(v.journeys >= 2, "{}", v.journeys);
    assert!(
        v.common.iter().any(|c| c == "tacit_resistance"),
        "{:?}",
        v.common
    );
}

/// Types a command line the way the keys do: `:`, the characters, Enter.
fn command(app: &mut App, line: &str) {
    let km = app.keymap.clone();
    let key = |c| terreng::app::keymap::Key::char(c);
    let colon = km.action(app.context(), key(':')).unwrap();
    act(app, &[colon]);
    for ch in line.chars() {
        let a = km.action(app.context(), key(ch)).unwrap();
        assert!(
            matches!(a, Action::CommandInput(_)),
            "{ch:?} must be text on the command line, not {a:?}"
        );
        act(app, &[a]);
    }
    let enter = terreng::app::keymap::Key::plain(terreng::app::keymap::KeyCode::Enter);
    let run = km.action(app.context(), enter).unwrap();
    act(app, &[run]);
}

#[test]
fn export_from_the_command_line_writes_what_is_in_view() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = bundled_app();

    // On the journey screen: the open journey only.
    mark(&mut app, &["g06"]);
    act(&mut app, &[Action::Open]);
    let one = dir.path().join("one journey.md");
    command(&mut app, &format!("export md '{}'", one.display()));
    assert_eq!(app.command, None, "Enter closes the command line");
    let msg = app.flash.clone().unwrap();
    assert!(
        msg.starts_with("wrote ") && msg.contains(": 1 journey,"),
        "{msg}"
    );
    let report = std::fs::read_to_string(&one).unwrap();
    let title = &app.session.data.journey("g06").unwrap().title;
    assert!(report.contains(title.as_str()));
    let other = &app.session.data.journey("g01").unwrap().title;
    assert!(!report.contains(other.as_str()), "only the open journey");

    // --all, whatever is in view.
    let all = dir.path().join("all.md");
    command(
        &mut app,
        &format!("export markdown {} --all", all.display()),
    );
    let n = app.session.data.journeys.len();
    let msg = app.flash.clone().unwrap();
    assert!(msg.contains(&format!(": {n} journeys,")), "{msg}");

    // On the compare screen: the compared journeys.
    act(&mut app, &[Action::ShowAtlas]);
    mark(&mut app, &["g01"]);
    act(&mut app, &[Action::ShowCompare]);
    let fig = dir.path().join("pair.svg");
    command(&mut app, &format!("export svg {}", fig.display()));
    let svg = std::fs::read_to_string(&fig).unwrap();
    assert!(svg.contains("g01") && svg.contains("g06"));
    let msg = app.flash.clone().unwrap();
    assert!(msg.contains(": 2 journeys,"), "{msg}");

    // A mistake is said in the status line, and nothing is written.
    command(&mut app, "export pdf x.pdf");
    let msg = app.flash.clone().unwrap();
    assert!(msg.contains("invalid value 'pdf'"), "{msg}");
    command(&mut app, "export csv out.csv --journey g99");
    let msg = app.flash.clone().unwrap();
    assert!(
        msg.starts_with("export failed:") && msg.contains("g99"),
        "{msg}"
    );
    assert!(!Path::new("out.csv").exists());
}

#[test]
fn the_command_line_shows_what_is_typed_esc_cancels_and_q_quits() {
    let mut app = bundled_app();
    act(
        &mut app,
        &[
            Action::CommandLine,
            Action::CommandInput('e'),
            Action::CommandInput('x'),
        ],
    );
    let (screen, _) = render(&app, 80, 24);
    let lines: Vec<&str> = screen.lines().collect();
    assert!(lines[22].starts_with(":ex "), "{}", lines[22]);
    assert!(lines[23].contains("Enter run") && lines[23].contains("Esc cancel"));
    act(&mut app, &[Action::Close]);
    assert_eq!(app.command, None);
    assert_eq!(
        app.screen,
        Screen::Atlas,
        "Esc only closes the command line"
    );
    act(&mut app, &[Action::CommandLine, Action::CommandBackspace]);
    assert_eq!(app.command, None, "Backspace on an empty line closes it");
    act(&mut app, &[Action::CommandLine, Action::CommandInput('q')]);
    assert!(terreng::app::act(&mut app, Action::RunCommand).contains(&Effect::Quit));
}

/// A study larger than what loads before the first frame comes in behind it: the first
/// batch is usable at once, the selection stays on its journey as the atlas grows, and in the
/// end every journey and note is in, in atlas order.
#[test]
fn a_large_study_loads_behind_the_first_frame_and_ends_whole() {
    use terreng::app::loader;
    use terreng::store::synthetic::{Params, generate};
    let dir = tempfile::tempdir().unwrap();
    let n = loader::AT_ONCE + 150;
    let made = generate(
        dir.path(),
        Params {
            journeys: n,
            steps: 3,
            notes: 300,
            analysts: 2,
            seed: 3,
        },
        &mut |_, _| {},
    )
    .unwrap();
    let opened = store::open(&DataSource::Dir(dir.path().to_path_buf()), None);
    assert!(loader::in_background(&opened));
    let store::Opened { data, files } = opened;
    let notes = Some((dir.path().join("annotations"), "analyst1".to_string()));
    let job = loader::LoadJob::new(files, data.terrain.clone(), notes);
    let mut app = App::new(data, Look::default()).with_loading(job);
    assert!(app.session.data.journeys.is_empty());
    // The loop's performer: the batches come through its channel, as actions.
    let mut performer = terreng::app::perform::Performer::new();
    for effect in app.startup() {
        assert_eq!(
            performer.perform(&mut app, effect),
            None,
            "loading runs on a thread"
        );
    }

    // The first batch.
    let mut wait = |app: &mut App, until: &dyn Fn(&App) -> bool| {
        for _ in 0..2000 {
            while let Some(batch) = performer.try_recv() {
                performer.handle(app, batch);
                if until(app) {
                    return;
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        panic!("loading did not get there in 10 s");
    };
    wait(&mut app, &|a| !a.session.data.journeys.is_empty());
    let first = app.session.data.journeys.len();
    assert!(first < n, "the first batch is not the whole study");
    let (screen, _) = render(&app, 100, 30);
    assert!(screen.contains("loading:"), "{screen}");
    act(&mut app, &[Action::Down, Action::Down]);
    let chosen = app.session.data.journeys[app.selected_journey().unwrap()]
        .id
        .clone();

    wait(&mut app, &|a| a.session.loading.is_none());
    assert_eq!(app.session.data.journeys.len(), n);
    assert_eq!(app.session.data.problems, []);
    assert_eq!(
        app.session.summary,
        format!("{n} journeys, {} steps, 0 problems", 3 * n)
    );
    let selected = &app.session.data.journeys[app.selected_journey().unwrap()];
    assert_eq!(selected.id, chosen, "the selection stays on its journey");
    let ids: Vec<&str> = app
        .session
        .visible
        .iter()
        .map(|&i| app.session.data.journeys[i].id.as_str())
        .collect();
    let themes: Vec<usize> = app
        .session
        .visible
        .iter()
        .map(|&i| {
            app.session
                .data
                .terrain
                .theme_index(&app.session.data.journeys[i].theme)
        })
        .collect();
    assert!(themes.is_sorted(), "the atlas is in theme order");
    assert_eq!(ids.len(), n);
    assert_eq!(app.session.routes.len(), n);
    let notes = app.session.notes.as_ref().expect("notes attached");
    assert_eq!(notes.store.all().len(), made.notes);
    let (screen, _) = render(&app, 100, 30);
    assert!(!screen.contains("loading:"), "{screen}");
}

/// The filter narrows what matched before as the user types on, and searches everything again
/// when a character is taken back: either way the atlas shows what a fresh search finds.
#[test]
fn typing_and_deleting_in_the_filter_always_shows_what_a_fresh_search_finds() {
    let mut app = bundled_app();
    act(&mut app, &[Action::Filter]);
    let keys = "mand\u{8}\u{8}rg  wall\u{8}\u{8}\u{8}\u{8}ø x\u{8}\u{8}";
    let mut widened_back = false;
    for c in keys.chars() {
        let before = app.session.visible.len();
        if c == '\u{8}' {
            act(&mut app, &[Action::FilterBackspace]);
            widened_back |= app.session.visible.len() > before;
        } else {
            act(&mut app, &[Action::FilterInput(c)]);
        }
        let mut fresh = bundled_app();
        fresh.atlas.filter = app.atlas.filter.clone();
        fresh.refilter();
        assert_eq!(
            app.session.visible, fresh.session.visible,
            "after {:?}",
            app.atlas.filter
        );
    }
    assert!(widened_back, "some deletion must widen the list again");
}

/// Each query typed keeps what it matched: a letter more searches only what the query before
/// it matched, and Backspace back to a query typed before shows its kept result without
/// searching anything, as does typing it again.
#[test]
fn backspace_shows_the_kept_result_of_the_shorter_query_without_searching() {
    let mut app = bundled_app();
    let all = app.session.order.len();
    act(&mut app, &[Action::Filter]);
    let mut typed: Vec<Vec<usize>> = Vec::new();
    let mut searched_before = all;
    for c in "mand".chars() {
        act(&mut app, &[Action::FilterInput(c)]);
        assert_eq!(
            app.filter_searched(),
            searched_before,
            "typing {c:?} searches what the query before matched"
        );
        searched_before = app.session.visible.len();
        typed.push(app.session.visible.clone());
    }
    assert!(
        typed[3].len() < all && !typed[3].is_empty(),
        "the query narrows: {} of {all}",
        typed[3].len()
    );
    for back in (0..3).rev() {
        act(&mut app, &[Action::FilterBackspace]);
        assert_eq!(app.filter_searched(), 0, "back to {:?}", app.atlas.filter);
        assert_eq!(app.session.visible, typed[back], "{:?}", app.atlas.filter);
    }
    act(&mut app, &[Action::FilterBackspace]);
    assert_eq!(app.filter_searched(), 0);
    assert_eq!(
        app.session.visible, app.session.order,
        "no query: every journey"
    );
    for (k, c) in "ma".chars().enumerate() {
        act(&mut app, &[Action::FilterInput(c)]);
        assert_eq!(
            app.filter_searched(),
            0,
            "{:?} was typed before",
            app.atlas.filter
        );
        assert_eq!(app.session.visible, typed[k]);
    }
    // A query not typed before searches what the longest one it continues matched.
    act(&mut app, &[Action::FilterInput('x')]);
    assert_eq!(app.filter_searched(), typed[1].len());
}
