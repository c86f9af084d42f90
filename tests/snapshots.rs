//! Whole screens as a user sees them, at 80×24 and 160×48, on the small snapshot study of
//! `tests/fixtures/study` (Norwegian letters, a wide CJK phrase and an emoji in view), so that
//! an edit of the bundled data set changes no snapshot. Snapshots hold symbols only; colours are asserted on buffers in the map's
//! own tests and below.

mod common;

use common::{screen, study_app, study_app_with, text};
use ratatui::style::{Color, Modifier};
use terreng::app::{Action, App, act};
use terreng::store::{self, DataSource};
use terreng::ui::theme::Look;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

/// The screens laid out anew for wide terminals are also kept at this size.
const WIDE: (u16, u16) = (200, 60);

fn app() -> App {
    study_app()
}

/// Opens journey `id` on the journey screen.
fn open(app: &mut App, id: &str) {
    let pos = app
        .session
        .visible
        .iter()
        .position(|&i| app.session.data.journeys[i].id == id)
        .unwrap_or_else(|| panic!("no journey {id}"));
    act(app, Action::SelectRow(pos));
    act(app, Action::Open);
}

#[test]
fn atlas() {
    let app = app();
    for (w, h) in SIZES.into_iter().chain([WIDE]) {
        insta::assert_snapshot!(format!("atlas_{w}x{h}"), text(&screen(&app, w, h)));
    }
}

/// The command line takes journey ids: the atlas names them — the selected one beside the
/// list at any size, every row's where the list is wide — and a mark's number stands apart
/// from the title.
#[test]
fn the_atlas_shows_journey_ids_and_marks_apart_from_titles() {
    let mut app = app();
    let first = app.session.visible[0];
    let id = app.session.data.journeys[first].id.clone();
    let title = app.session.data.journeys[first].title.clone();
    act(&mut app, Action::Mark);
    let narrow = text(&screen(&app, 80, 24));
    assert!(
        narrow.lines().any(|l| l.contains(&format!("│{id} · "))),
        "{narrow}"
    );
    let short: String = title.chars().take(8).collect();
    assert!(narrow.contains(&format!("▶1 {short}")), "{narrow}");
    let wide = text(&screen(&app, WIDE.0, WIDE.1));
    for &ji in &app.session.visible {
        let j = &app.session.data.journeys[ji];
        let row = wide
            .lines()
            .find(|l| l.contains(&j.title))
            .unwrap_or_else(|| panic!("{} in view: {wide}", j.title));
        assert!(row.contains(&format!(" {} ", j.id)), "{row}");
    }
}

#[test]
fn journey_first_middle_last() {
    let mut app = app();
    open(&mut app, "f02");
    let n = app.current_journey().unwrap().steps.len();
    for (name, step) in [("first", 0), ("middle", n / 2), ("last", n - 1)] {
        act(&mut app, Action::SelectStep(step));
        for (w, h) in SIZES.into_iter().chain([WIDE]) {
            insta::assert_snapshot!(
                format!("journey_f02_{name}_{w}x{h}"),
                text(&screen(&app, w, h))
            );
        }
    }
}

#[test]
fn help() {
    let mut app = app();
    act(&mut app, Action::Help);
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("help_{w}x{h}"), text(&screen(&app, w, h)));
    }
}

#[test]
fn too_small() {
    let app = app();
    insta::assert_snapshot!("too_small_59x17", text(&screen(&app, 59, 17)));
}

#[test]
fn selection_survives_no_color() {
    let look = Look {
        no_color: true,
        ..Look::default()
    };
    let app = study_app_with(look);
    let t = screen(&app, 80, 24);
    let buf = t.backend().buffer();
    assert!(
        buf.content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "NO_COLOR draws no colour"
    );
    // The selected row is marked by a symbol, not by colour alone.
    let rows = text(&t);
    assert_eq!(rows.matches('▶').count(), 1, "{rows}");
    let marked = rows.lines().position(|l| l.contains('▶')).unwrap() as u16;
    let x = (0..80).find(|&x| buf[(x, marked)].symbol() == "▶").unwrap();
    assert!(buf[(x, marked)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn the_current_step_is_underlined_on_the_strip() {
    let mut app = app();
    open(&mut app, "f02");
    act(&mut app, Action::StepNext);
    let t = screen(&app, 80, 24);
    let rows = text(&t);
    let buf = t.backend().buffer();
    let y = rows
        .lines()
        .position(|l| l.contains("[→]") || l.contains("[‖]") || l.contains("[■]"))
        .unwrap() as u16;
    let x = (0..80).find(|&x| buf[(x, y)].symbol() == "[").unwrap();
    assert!(buf[(x + 1, y)].modifier.contains(Modifier::UNDERLINED));
}

#[test]
fn the_key_bar_keeps_help_and_quit_in_view_at_80_columns() {
    let mut app = app();
    for screen_name in ["atlas", "journey"] {
        if screen_name == "journey" {
            open(&mut app, "f02");
        }
        let t = screen(&app, 80, 24);
        let last = text(&t).lines().last().unwrap().to_string();
        assert!(last.contains("?/F1 help"), "{screen_name}: {last}");
        assert!(last.contains("q quit"), "{screen_name}: {last}");
    }
}

#[test]
fn ascii_mode_draws_only_ascii_and_letters() {
    let look = Look {
        ascii: true,
        ..Look::default()
    };
    let mut app = App::new(store::load(&DataSource::Bundled, None), look);
    let check = |app: &App, what: &str| {
        for (w, h) in SIZES {
            let t = screen(app, w, h);
            for cell in t.backend().buffer().content.iter() {
                let s = cell.symbol();
                assert!(
                    s.is_ascii() || s.chars().all(char::is_alphabetic),
                    "{what} at {w}×{h}: {s:?}"
                );
            }
        }
    };
    check(&app, "atlas");
    act(&mut app, Action::Filter);
    for c in "fjell".chars() {
        act(&mut app, Action::FilterInput(c));
    }
    check(&app, "atlas with a filter");
    act(&mut app, Action::Close);
    act(&mut app, Action::Close);
    for id in ["g06", "focus-municipality", "pilot-shared"] {
        open(&mut app, id);
        act(&mut app, Action::SelectStep(3));
        check(&app, id);
        act(&mut app, Action::Close);
    }
    act(&mut app, Action::Help);
    check(&app, "help");
}

#[test]
fn the_focused_pane_shows_by_its_border_without_colour() {
    let look = Look {
        no_color: true,
        ..Look::default()
    };
    let mut app = study_app_with(look);
    open(&mut app, "f02");
    // Each pane's top-left corner, found by its title.
    let corners = |app: &App| -> Vec<(String, String)> {
        let t = screen(app, 80, 24);
        let buf = t.backend().buffer().clone();
        let lines = text(&t);
        let mut out = Vec::new();
        for title in [" Map", " Steps", " Step "] {
            let (row, line) = lines
                .lines()
                .enumerate()
                .find(|(_, l)| l.contains(title))
                .unwrap();
            let col = line[..line.find(title).unwrap()].chars().count() - 1;
            out.push((
                title.trim().to_string(),
                buf[(col as u16, row as u16)].symbol().to_string(),
            ));
        }
        out
    };
    let heavy = |app: &App| -> Vec<String> {
        corners(app)
            .into_iter()
            .filter(|(_, c)| c == "┏")
            .map(|(t, _)| t)
            .collect()
    };
    assert_eq!(heavy(&app), ["Map"]);
    act(&mut app, Action::FocusNext);
    assert_eq!(heavy(&app), ["Steps"]);
    act(&mut app, Action::FocusNext);
    assert_eq!(heavy(&app), ["Step"]);
}

/// Marks journeys (or, with `themes`, the themes of these journeys) in the atlas and opens the
/// compare screen.
fn compare(app: &mut App, ids: &[&str], themes: bool) {
    for id in ids {
        let pos = app
            .session
            .visible
            .iter()
            .position(|&i| app.session.data.journeys[i].id == *id)
            .unwrap_or_else(|| panic!("no journey {id}"));
        act(app, Action::SelectRow(pos));
        act(
            app,
            if themes {
                Action::MarkTheme
            } else {
                Action::Mark
            },
        );
    }
    act(app, Action::ShowCompare);
}

#[test]
fn compare_two_journeys_four_journeys_and_two_themes() {
    for (name, ids, themes) in [
        ("two", &["f01", "f02"][..], false),
        ("four", &["f01", "f02", "f03", "f04"][..], false),
        ("themes", &["f01", "f02"][..], true),
    ] {
        let mut app = app();
        compare(&mut app, ids, themes);
        // Three steps on, so the panes and the chart's cursor are past the start.
        for _ in 0..3 {
            act(&mut app, Action::StepNext);
        }
        for (w, h) in SIZES.into_iter().chain([WIDE]) {
            insta::assert_snapshot!(format!("compare_{name}_{w}x{h}"), text(&screen(&app, w, h)));
        }
    }
}

#[test]
fn terrain_screen() {
    let mut app = app();
    act(&mut app, Action::ShowTerrain);
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("terrain_{w}x{h}"), text(&screen(&app, w, h)));
    }
}

/// The chart draws each compared journey's curve in its own colour, and its legend names each
/// one; the colours are the panes' title colours.
#[test]
fn the_compare_chart_draws_curves_in_distinct_styles_with_a_legend() {
    let mut app = app();
    // Journeys of different themes, so their curves differ and do not hide each other.
    compare(&mut app, &["f01", "f02"], false);
    let t = screen(&app, 160, 48);
    let buf = t.backend().buffer();
    let look = Look::default();
    let (c1, c2) = (look.series(0).fg.unwrap(), look.series(1).fg.unwrap());
    assert_ne!(c1, c2);
    // Braille cells (the curves) in each colour, below the panes.
    let braille = |c: Color| {
        (24..48)
            .flat_map(|y| (0..80).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                let cell = &buf[(x, y)];
                cell.fg == c
                    && cell
                        .symbol()
                        .chars()
                        .next()
                        .is_some_and(|ch| ('\u{2801}'..='\u{28ff}').contains(&ch))
            })
            .count()
    };
    assert!(braille(c1) > 5, "curve 1 drawn in its colour");
    assert!(braille(c2) > 5, "curve 2 drawn in its colour");
    let all = text(&t);
    assert!(all.contains("1 f01") && all.contains("2 f02"), "{all}");
}

/// Two analysts' notes on f02: they agree on s01, differ on one code at s02 and on two at s03.
fn two_analysts(root: &std::path::Path) {
    let notes = |analyst: &str, rows: &[(&str, &str, &[&str], &str)]| {
        let mut a = terreng::model::Annotations::new(analyst, "f02");
        for (id, step, codes, text) in rows {
            a.notes.push(terreng::model::Note {
                id: id.to_string(),
                step: step.to_string(),
                codes: codes.iter().map(|c| c.to_string()).collect(),
                text: text.to_string(),
                created: "2026-01-01T00:00:00Z".into(),
                updated: "2026-01-01T00:00:00Z".into(),
                conflict_of: None,
            });
        }
        std::fs::create_dir_all(root.join(analyst)).unwrap();
        std::fs::write(
            root.join(analyst).join("f02.ron"),
            ron::ser::to_string_pretty(&a, ron::ser::PrettyConfig::default()).unwrap(),
        )
        .unwrap();
    };
    notes(
        "hh",
        &[
            ("01A", "s01", &["shared_path"], "Høy motivasjon."),
            (
                "01B",
                "s02",
                &["tacit_resistance", "time_scarcity"],
                "Polite answers, no time.",
            ),
            (
                "01C",
                "s03",
                &["time_scarcity", "unclear_direction"],
                "Busy calendars.",
            ),
        ],
    );
    notes(
        "kv",
        &[
            ("02A", "s01", &["shared_path"], "Motivated."),
            (
                "02B",
                "s02",
                &["tacit_resistance"],
                "The cliff wall: nods, nothing more.",
            ),
            ("02C", "s03", &[], "Nothing in the way yet."),
        ],
    );
}

#[test]
fn agreement_screen_shows_the_worst_disagreement_side_by_side() {
    use terreng::app::state::NoteStatus;
    use terreng::store::annotations::NoteStore;
    let dir = tempfile::tempdir().unwrap();
    two_analysts(dir.path());
    let (notes, problems) = NoteStore::open(dir.path(), "hh");
    assert!(problems.is_empty(), "{problems:?}");
    let mut app = app().with_notes(notes, vec![]);
    // The status line would name the temporary folder.
    if let Some(n) = &mut app.session.notes {
        n.status = NoteStatus::Info("notes of hh and kv".into());
    }
    act(&mut app, Action::ShowAgreement);
    for (w, h) in SIZES {
        let t = text(&screen(&app, w, h));
        // s03 differs on two codes, s02 on one: s03 comes first.
        assert!(t.contains("Disagreement 1/2"), "{t}");
        assert!(t.contains("s03"), "{t}");
        insta::assert_snapshot!(format!("agreement_f02_{w}x{h}"), t);
    }
}

/// Adopting a code keeps the disagreement of that step in view, though the list is sorted
/// anew (s03 had two codes apart and led; with one adopted it ties with s02, which comes
/// first in order).
#[test]
fn adopting_a_code_keeps_the_same_disagreement_in_view() {
    use terreng::store::annotations::NoteStore;
    let dir = tempfile::tempdir().unwrap();
    two_analysts(dir.path());
    let (notes, problems) = NoteStore::open(dir.path(), "kv");
    assert!(problems.is_empty(), "{problems:?}");
    let mut app = app().with_notes(notes, vec![]);
    act(&mut app, Action::ShowAgreement);
    let step = |app: &App| {
        let d = app.disagreement().expect("a disagreement");
        let (ji, si) = d.step.at;
        app.session.data.journeys[ji].steps[si].id.clone()
    };
    assert_eq!(step(&app), "s03");
    assert_eq!(app.disagreement().unwrap().differing.len(), 2);
    act(&mut app, Action::Adopt);
    assert_eq!(app.disagreement().unwrap().differing.len(), 1);
    assert_eq!(step(&app), "s03", "still on the step just changed");
    // Undo comes back to it too.
    act(&mut app, Action::StepFirst);
    assert_eq!(step(&app), "s02");
    act(&mut app, Action::Undo);
    assert_eq!(app.screen, terreng::app::state::Screen::Agreement);
    assert_eq!(step(&app), "s03");
    assert_eq!(app.disagreement().unwrap().differing.len(), 2);
}

/// The reading fixture (a study with one source and two journeys citing it), opened read-only
/// as `terreng --data DIR` opens it, its sources read, at `w`×`h`.
fn reading_app(w: u16, h: u16) -> App {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reading");
    let opened = store::open(&DataSource::Dir(dir), None);
    let mut app = terreng::app::loader::open(opened, Look::default(), None);
    act(&mut app, Action::Resize(w, h));
    app
}

#[test]
fn sources_list_and_reading() {
    for (w, h) in [(80, 24), (200, 60)] {
        let mut app = reading_app(w, h);
        act(&mut app, Action::ShowSources);
        insta::assert_snapshot!(format!("sources_list_{w}x{h}"), text(&screen(&app, w, h)));
        // A passage cited twice, a search, and a sentence selected from the hit.
        let r01 = app
            .session
            .data
            .journeys
            .iter()
            .position(|j| j.id == "r01")
            .unwrap();
        app.journey.journey = r01;
        app.journey.step = 2;
        act(&mut app, Action::Open);
        act(&mut app, Action::Filter);
        for c in "vi måtte".chars() {
            act(&mut app, Action::FilterInput(c));
        }
        act(&mut app, Action::FilterAccept);
        act(&mut app, Action::Select);
        act(&mut app, Action::SentenceNext);
        insta::assert_snapshot!(
            format!("sources_reading_{w}x{h}"),
            text(&screen(&app, w, h))
        );
        // The step form over it.
        act(&mut app, Action::PassageStep);
        insta::assert_snapshot!(
            format!("sources_step_form_{w}x{h}"),
            text(&screen(&app, w, h))
        );
    }
}

#[test]
fn an_empty_study_opens_on_what_to_do_first() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("studie");
    store::study::create(&root, &terreng::model::Study::new("Ny studie"), false).unwrap();
    let opened = store::open(&DataSource::Dir(root), None);
    let mut app = terreng::app::loader::open(opened, Look::default(), None);
    act(&mut app, Action::Resize(80, 24));
    insta::assert_snapshot!("welcome_80x24", text(&screen(&app, 80, 24)));
}

#[test]
fn the_sources_screen_draws_only_ascii_and_letters_in_ascii_mode() {
    for (w, h) in [(80, 24), (200, 60)] {
        let mut app = reading_app(w, h);
        app.look.ascii = true;
        act(&mut app, Action::ShowSources);
        let check = |app: &App, what: &str| {
            let t = screen(app, w, h);
            for cell in t.backend().buffer().content.iter() {
                let s = cell.symbol();
                assert!(
                    s.is_ascii() || s.chars().all(char::is_alphabetic),
                    "{what} at {w}×{h}: {s:?}\n{}",
                    text(&t)
                );
            }
        };
        check(&app, "the list");
        act(&mut app, Action::Open);
        act(&mut app, Action::Filter);
        for c in "vi måtte".chars() {
            act(&mut app, Action::FilterInput(c));
        }
        check(&app, "a search being typed");
        act(&mut app, Action::FilterAccept);
        act(&mut app, Action::Select);
        check(&app, "a selection");
        act(&mut app, Action::PassageStep);
        check(&app, "the step form");
    }
}

/// The sequences screen is tried at the sizes of a small terminal and a large one.
const SEQUENCE_SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];

#[test]
fn sequences_screen_and_its_panes() {
    let mut app = app();
    act(&mut app, Action::ShowSequences);
    for (w, h) in SEQUENCE_SIZES {
        insta::assert_snapshot!(format!("sequences_{w}x{h}"), text(&screen(&app, w, h)));
    }
    for pane in ["themes", "states", "rates", "entropy"] {
        act(&mut app, Action::FocusNext);
        for (w, h) in SEQUENCE_SIZES {
            insta::assert_snapshot!(
                format!("sequences_{pane}_{w}x{h}"),
                text(&screen(&app, w, h))
            );
        }
    }
}

#[test]
fn sequences_alignment_and_both_steps_evidence() {
    let mut app = app();
    act(&mut app, Action::ShowSequences);
    // The first row's journey, aligned with the second row's.
    act(&mut app, Action::Align);
    act(&mut app, Action::Down);
    act(&mut app, Action::Align);
    assert!(app.sequences.align.is_some());
    act(&mut app, Action::StepNext);
    for (w, h) in SEQUENCE_SIZES {
        insta::assert_snapshot!(
            format!("sequences_align_{w}x{h}"),
            text(&screen(&app, w, h))
        );
    }
    act(&mut app, Action::Open);
    for (w, h) in SEQUENCE_SIZES {
        insta::assert_snapshot!(
            format!("sequences_evidence_{w}x{h}"),
            text(&screen(&app, w, h))
        );
    }
}

/// Without colour, a cell's state still reads: every cell of the index plot shows its kind's
/// glyph, as the legend does.
#[test]
fn sequence_cells_read_without_colour() {
    let look = Look {
        no_color: true,
        ..Look::default()
    };
    let mut app = study_app_with(look);
    act(&mut app, Action::ShowSequences);
    let t = screen(&app, 80, 24);
    let all = text(&t);
    for glyph_and_name in ["→ Advance", "‖ Stall"] {
        assert!(all.contains(glyph_and_name), "{all}");
    }
    let buf = t.backend().buffer();
    assert!(
        buf.content
            .iter()
            .all(|c| c.bg == Color::Reset && c.fg == Color::Reset),
        "no colour at all"
    );
    // The cell under the cursor is reversed, so it shows without colour.
    let reversed = buf
        .content
        .iter()
        .filter(|c| c.modifier.contains(Modifier::REVERSED) && c.symbol() == "→")
        .count();
    assert!(reversed >= 1, "{all}");
}

/// The screens use the room they have: at 200×60 the journey's legend takes the rows it needs
/// and the map the rest; four compared journeys at 80×24 each get a map; the compare chart
/// names its curves in its title, not in a box over them; the matrix's counts stand beside
/// their labels however wide the pane.
#[test]
fn the_screens_use_the_space_they_have() {
    let mut app = app();
    open(&mut app, "f02");
    let t = text(&screen(&app, WIDE.0, WIDE.1));
    let lines: Vec<&str> = t.lines().collect();
    let top = |title: &str| {
        lines
            .iter()
            .position(|l| l.contains(title))
            .unwrap_or_else(|| panic!("{title}: {t}"))
    };
    let (map, steps, legend) = (top("┏ Map"), top("┌ Steps"), top("┌ Legend"));
    let legend_end = (legend + 1..lines.len())
        .find(|&i| lines[i].starts_with('└'))
        .unwrap();
    let legend_rows = legend_end - legend - 1;
    let filled = (legend + 1..legend_end)
        .filter(|&i| lines[i].chars().nth(1).is_some_and(|c| c != ' '))
        .count();
    assert_eq!(filled, legend_rows, "no empty legend rows: {t}");
    assert!(steps - map > legend_rows, "the map is the taller: {t}");

    let mut app = self::app();
    compare(&mut app, &["f01", "f02", "f03", "f04"], false);
    let t = text(&screen(&app, 80, 24));
    for k in 1..=4 {
        assert!(t.contains(&format!("{k} · f0{k}")), "{t}");
    }
    assert_eq!(t.matches('◎').count(), 4, "a map each, with its goal: {t}");
    assert!(
        t.lines()
            .any(|l| l.contains("Progress") && l.contains("1 2 3 4")),
        "the curves named in the chart's title: {t}"
    );

    let t = text(&screen(&app, WIDE.0, WIDE.1));
    let head = t
        .lines()
        .find(|l| l.contains("Obstacle × journey"))
        .unwrap();
    let matrix_x = head.chars().position(|c| c == 'O').unwrap();
    let row = t
        .lines()
        .skip_while(|l| !l.contains("Obstacle × journey"))
        .nth(2)
        .unwrap();
    let chars: Vec<char> = row.chars().collect();
    let last_letter = (matrix_x..chars.len())
        .take_while(|&i| chars[i] != '┃' && chars[i] != '│')
        .filter(|&i| chars[i].is_alphabetic())
        .max()
        .unwrap();
    let first_count = (last_letter + 1..chars.len())
        .find(|&i| chars[i].is_ascii_digit() || chars[i] == '·')
        .unwrap();
    assert!(
        first_count - last_letter < 30,
        "the counts beside their label: {row}"
    );
}
