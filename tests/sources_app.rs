//! The sources screen, driven as the loop drives it (`terreng::app::act`): a source read,
//! searched and selected (keys and mouse), the passage made evidence of the current step or a
//! new step (or the first step of a new journey), every change on disk in the journey file
//! with its quote and span, and `:source add` from the app's command line.

mod common;

use std::path::{Path, PathBuf};

use crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use terreng::app::key::Key;
use terreng::app::keymap::Context;
use terreng::app::state::Screen;
use terreng::app::{Action, App, act};
use terreng::model::{Journey, StepKind};
use terreng::store::{self, DataSource, parse};
use terreng::ui::theme::Look;

/// The reading fixture: a study with one source (a heading, a page break, two passages coded
/// elsewhere) and two journeys citing it.
fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reading")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The app on a study folder, as `terreng --data DIR` opens it, its sources read.
fn open_study(dir: &Path) -> App {
    let opened = store::open(&DataSource::Dir(dir.to_path_buf()), None);
    let mut app = terreng::app::loader::open(opened, Look::default(), None);
    act(&mut app, Action::Resize(80, 24));
    assert!(
        app.session.data.problems.is_empty(),
        "{:?}",
        app.session.data.problems
    );
    app
}

/// A copy of the reading fixture in `dir`, opened.
fn reading_study(dir: &Path) -> App {
    copy_dir(&fixture(), dir);
    open_study(dir)
}

fn index_of(app: &App, id: &str) -> usize {
    app.session
        .data
        .journeys
        .iter()
        .position(|j| j.id == id)
        .unwrap()
}

fn on_disk(dir: &Path, id: &str) -> Journey {
    let path = dir.join(format!("journeys/{id}.ron"));
    let text = std::fs::read_to_string(&path).unwrap();
    parse::parse(&path.display().to_string(), &text).unwrap()
}

fn search(app: &mut App, phrase: &str) {
    act(app, Action::Filter);
    for c in phrase.chars() {
        act(app, Action::FilterInput(c));
    }
    act(app, Action::FilterAccept);
}

fn type_in_form(app: &mut App, text: &str) {
    for c in text.chars() {
        act(app, Action::FormKey(Key::char(c)));
    }
}

fn tab(app: &mut App) {
    act(
        app,
        Action::FormKey(Key::plain(terreng::app::key::KeyCode::Tab)),
    );
}

/// The text of the source, and where `needle` is in it, in code points.
fn span_of(dir: &Path, source: &str, needle: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(dir.join(format!("sources/{source}.txt"))).unwrap();
    let at = text.find(needle).unwrap();
    let start = text[..at].chars().count();
    (start, start + needle.chars().count())
}

/// Opens the first source in the reading view.
fn read_first(app: &mut App) {
    act(app, Action::ShowSources);
    assert_eq!(app.context(), Context::Sources);
    act(app, Action::Open);
    assert_eq!(app.context(), Context::Reading);
}

/// `terreng check DIR`: its exit code and output.
fn check(dir: &Path) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_terreng"))
        .arg("check")
        .arg(dir)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn the_list_counts_passages_cited_and_the_journeys_citing_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = reading_study(dir.path());
    act(&mut app, Action::ShowSources);
    let s = &app.sources.sources()[0];
    assert_eq!(s.id, "intervju-03");
    assert_eq!(s.title(), "Intervju 3");
    // Four citations of three passages, by two journeys.
    let cited = app.sources.citations("intervju-03");
    assert_eq!(cited.len(), 4);
    let screen = common::text(&common::screen(&app, 80, 24));
    let row = screen
        .lines()
        .find(|l| l.contains("intervju-03"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        row.split_whitespace().rev().take(4).collect::<Vec<_>>() == ["2┃", "2", "3", "673"],
        "characters 673, 3 passages cited, by 2 journeys, 2 coded: {row}"
    );
}

#[test]
fn a_searched_phrase_selected_becomes_evidence_of_the_current_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = reading_study(dir.path());
    let r01 = index_of(&app, "r01");
    app.journey.journey = r01;
    app.journey.step = 1; // s02
    read_first(&mut app);
    search(&mut app, "ungdommene kom med egne ideer");
    act(&mut app, Action::Select);
    let phrase = "ungdommene kom med egne ideer";
    let span = span_of(dir.path(), "intervju-03", phrase);
    let open = app.sources.open.as_ref().unwrap();
    assert_eq!(
        open.reading.passage(),
        Some(span),
        "v on the hit selects it"
    );

    act(&mut app, Action::PassageEvidence);
    assert_eq!(app.context(), Context::Form);
    type_in_form(&mut app, "the young people brought ideas of their own");
    act(&mut app, Action::SubmitForm);
    assert_eq!(app.context(), Context::Reading, "the form is closed");
    assert_eq!(
        app.sources.open.as_ref().unwrap().reading.selection(),
        None,
        "the selection is done with"
    );

    let disk = on_disk(dir.path(), "r01");
    assert_eq!(
        disk, app.session.data.journeys[r01],
        "saved before the next frame"
    );
    let s02 = &disk.steps[1];
    assert_eq!(s02.id, "s02");
    assert_eq!(s02.evidence.len(), 2);
    let e = &s02.evidence[1];
    assert_eq!(e.quote, phrase);
    assert_eq!(e.span, Some(span));
    assert_eq!(e.source.as_deref(), Some("intervju-03"));
    assert_eq!(e.translation, "the young people brought ideas of their own");
    assert_eq!(e.locator, "Intervju 3 – frivilligsentralen i Ærøy, p. 1");
    let flash = app.flash.clone().unwrap_or_default();
    assert!(
        flash.starts_with("the passage is evidence of s02 — saved to"),
        "{flash}"
    );
    // The passage is cited now, by s02.
    let cited = app.sources.citations_at("intervju-03", span.0);
    assert_eq!(cited.len(), 1);
    assert_eq!((cited[0].journey, cited[0].step), (r01, 1));
    let (code, out) = check(dir.path());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("5 found (5 at their span"), "{out}");
}

#[test]
fn a_selected_sentence_becomes_a_new_step_after_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = reading_study(dir.path());
    let r01 = index_of(&app, "r01");
    app.journey.journey = r01;
    app.journey.step = 1; // s02: the new step goes between s02 and s03
    read_first(&mut app);
    search(&mut app, "det var tungt");
    // v selects the hit; ) extends it to the end of its sentence.
    act(&mut app, Action::Select);
    act(&mut app, Action::SentenceNext);
    let sentence = "Det var tungt, og flere ga seg.";
    let span = span_of(dir.path(), "intervju-03", sentence);
    assert_eq!(
        app.sources.open.as_ref().unwrap().reading.passage(),
        Some(span)
    );

    act(&mut app, Action::PassageStep);
    assert_eq!(app.context(), Context::Form);
    // The kind by its first letter, then the title; the translation is left for later.
    act(&mut app, Action::FormKey(Key::char('r')));
    tab(&mut app);
    type_in_form(&mut app, "Flere ga seg");
    act(&mut app, Action::SubmitForm);
    assert_eq!(app.context(), Context::Reading);

    let disk = on_disk(dir.path(), "r01");
    assert_eq!(disk, app.session.data.journeys[r01]);
    let ids: Vec<&str> = disk.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["s01", "s02", "s04", "s03"],
        "a new id, after the current step"
    );
    let new = &disk.steps[2];
    assert_eq!(new.kind, StepKind::Retreat);
    assert_eq!(new.title, "Flere ga seg");
    assert_eq!(new.evidence.len(), 1);
    assert_eq!(new.evidence[0].quote, sentence);
    assert_eq!(new.evidence[0].span, Some(span));
    assert_eq!(new.evidence[0].translation, "", "translation pending");
    assert_eq!(new.evidence[0].locator, "Samarbeidet, p. 2");
    // The new step is the current one: the next passage follows it.
    assert_eq!((app.journey.journey, app.journey.step), (r01, 2));
    let (code, out) = check(dir.path());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 not found"), "{out}");
    // The journey screen says the translation is still to come.
    act(&mut app, Action::ShowJourney);
    let screen = common::text(&common::screen(&app, 120, 40));
    assert!(screen.contains("(translation pending)"), "{screen}");
}

#[test]
fn with_no_journey_yet_a_passage_starts_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("studie");
    store::study::create(&root, &terreng::model::Study::new("Studien"), false).unwrap();
    let file = dir.path().join("Intervju 1.txt");
    std::fs::write(
        &file,
        "Vi fikk endelig et møterom. Ingen kom på første møte.\n",
    )
    .unwrap();
    store::sources::add(
        &root.join("sources"),
        &file,
        None,
        &root.join("terrain.ron"),
    )
    .unwrap();
    let mut app = open_study(&root);
    // The welcome says what to do first.
    let screen = common::text(&common::screen(&app, 80, 24));
    assert!(
        screen.contains("This study has 1 source and no journeys so far."),
        "{screen}"
    );
    assert!(screen.contains("1. Read your sources: 6"), "{screen}");

    read_first(&mut app);
    act(&mut app, Action::Select);
    act(&mut app, Action::SentenceNext);
    act(&mut app, Action::PassageStep);
    // No journey: its form first.
    assert!(
        app.sources
            .form
            .as_ref()
            .unwrap()
            .form
            .title
            .starts_with("New journey"),
        "the journey form"
    );
    type_in_form(&mut app, "Møterommet");
    tab(&mut app); // the id: made from the title
    tab(&mut app); // the theme: the first
    tab(&mut app);
    type_in_form(&mut app, "Et sted å møtes");
    act(&mut app, Action::SubmitForm);
    // Then the step.
    let title = app.sources.form.as_ref().unwrap().form.title.clone();
    assert_eq!(title, "First step of moterommet");
    tab(&mut app);
    type_in_form(&mut app, "Et møterom");
    act(&mut app, Action::SubmitForm);
    assert!(app.sources.form.is_none());

    let disk = on_disk(&root, "moterommet");
    assert_eq!(disk.title, "Møterommet");
    assert_eq!(disk.goal, "Et sted å møtes");
    assert_eq!(disk.steps.len(), 1);
    assert_eq!(disk.steps[0].id, "s01");
    let e = &disk.steps[0].evidence[0];
    assert_eq!(e.quote, "Vi fikk endelig et møterom.");
    assert_eq!(e.span, Some((0, 27)));
    assert_eq!(e.source.as_deref(), Some("intervju-1"));
    assert_eq!(
        app.current_journey().map(|j| j.id.as_str()),
        Some("moterommet")
    );
    let (code, out) = check(&root);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn j_makes_the_selection_the_first_step_of_a_new_journey() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = reading_study(dir.path());
    read_first(&mut app);
    search(&mut app, "til slutt");
    act(&mut app, Action::Select);
    act(&mut app, Action::SentenceNext);
    act(&mut app, Action::PassageJourney);
    // A required field left empty says so and keeps the form.
    type_in_form(&mut app, "Avtalen");
    act(&mut app, Action::SubmitForm);
    let form = &app.sources.form.as_ref().unwrap().form;
    assert_eq!(form.error.as_deref(), Some("Goal is needed"));
    for _ in 0..3 {
        tab(&mut app);
    }
    type_in_form(&mut app, "En skriftlig avtale");
    act(&mut app, Action::SubmitForm);
    // A letter goes to the first kind from here that it starts: `a` on Advance keeps Advance
    // (a reflex does no harm); `a` again goes on to Arrive.
    act(&mut app, Action::FormKey(Key::char('a')));
    assert_eq!(
        app.sources.form.as_ref().unwrap().form.get("kind"),
        "Advance"
    );
    act(&mut app, Action::FormKey(Key::char('a')));
    tab(&mut app);
    type_in_form(&mut app, "Avtalen holder");
    act(&mut app, Action::SubmitForm);
    let disk = on_disk(dir.path(), "avtalen");
    assert_eq!(disk.steps.len(), 1);
    assert_eq!(disk.steps[0].kind, StepKind::Arrive);
    let sentence =
        "Til slutt fikk vi på plass en skriftlig avtale med kommunen, og den har holdt i to år nå.";
    assert_eq!(disk.steps[0].evidence[0].quote, sentence);
    assert_eq!(
        disk.steps[0].evidence[0].span,
        Some(span_of(dir.path(), "intervju-03", sentence))
    );
    assert_eq!(app.current_journey().unwrap().id, "avtalen");
    assert_eq!(app.session.data.journeys.len(), 3);
    // Esc on a form with something typed asks first; a second Esc closes it.
    act(&mut app, Action::Select);
    act(&mut app, Action::PassageEvidence);
    type_in_form(&mut app, "x");
    act(&mut app, Action::Close);
    assert!(app.sources.form.is_some(), "asked first");
    act(&mut app, Action::Close);
    assert!(app.sources.form.is_none());
    assert_eq!(on_disk(dir.path(), "avtalen"), disk, "nothing written");
}

#[test]
fn enter_on_a_cited_passage_jumps_to_the_step_tab_chooses_which() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = reading_study(dir.path());
    read_first(&mut app);
    search(&mut app, "vi måtte begynne");
    // Cited by r01 s03 and r02 s01: Tab chooses the second.
    assert_eq!(
        app.sources
            .citations_at(
                "intervju-03",
                app.sources.open.as_ref().unwrap().reading.cursor
            )
            .len(),
        2
    );
    let screen = common::text(&common::screen(&app, 80, 24));
    assert!(
        screen.contains("cited by r01 s03 «Begynte på nytt» (1 of 2"),
        "{screen}"
    );
    act(&mut app, Action::FocusNext);
    act(&mut app, Action::Open);
    assert_eq!(app.screen, Screen::Journey);
    assert_eq!(app.current_journey().unwrap().id, "r02");
    assert_eq!(app.journey.step, 0);
    // Esc comes back to the source, where it was.
    act(&mut app, Action::Close);
    assert_eq!(app.screen, Screen::Sources);
    assert_eq!(app.context(), Context::Reading);
}

#[test]
fn a_passage_coded_elsewhere_is_found_with_brackets_and_selected_with_enter() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = reading_study(dir.path());
    read_first(&mut app);
    // The first marked passage is cited (90), the next is coded elsewhere (160).
    act(&mut app, Action::NextPassage);
    act(&mut app, Action::NextPassage);
    assert_eq!(app.sources.open.as_ref().unwrap().reading.cursor, 160);
    let screen = common::text(&common::screen(&app, 80, 24));
    assert!(
        screen.contains("coded elsewhere: Busy calendars · Enter selects it"),
        "{screen}"
    );
    act(&mut app, Action::Open);
    assert_eq!(
        app.sources.open.as_ref().unwrap().reading.passage(),
        Some((160, 216))
    );
    // The cursor is on the passage's last letter: back to its start, then to the one before.
    act(&mut app, Action::PrevPassage);
    assert_eq!(app.sources.open.as_ref().unwrap().reading.cursor, 160);
    act(&mut app, Action::PrevPassage);
    assert_eq!(app.sources.open.as_ref().unwrap().reading.cursor, 90);
}

#[test]
fn esc_cancels_the_selection_then_goes_back_to_the_list_and_enter_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = reading_study(dir.path());
    read_first(&mut app);
    search(&mut app, "kommunen");
    let hits = app.sources.open.as_ref().unwrap().reading.search.hits.len();
    assert_eq!(hits, 4, "four times in the text, whatever the case");
    let first = app.sources.open.as_ref().unwrap().reading.cursor;
    act(&mut app, Action::SearchNext);
    assert!(app.sources.open.as_ref().unwrap().reading.cursor > first);
    act(&mut app, Action::SearchPrev);
    assert_eq!(app.sources.open.as_ref().unwrap().reading.cursor, first);
    act(&mut app, Action::Select);
    act(&mut app, Action::Close);
    let r = &app.sources.open.as_ref().unwrap().reading;
    assert_eq!(r.selection(), None);
    assert_eq!(r.search.hits.len(), 4, "the search stays");
    let left_at = r.cursor;
    act(&mut app, Action::Close);
    assert_eq!(app.context(), Context::Sources);
    // Enter opens it again where it was left, its search kept.
    act(&mut app, Action::Open);
    let r = &app.sources.open.as_ref().unwrap().reading;
    assert_eq!((r.cursor, r.search.hits.len()), (left_at, 4));
    // A search typed and cancelled goes back to where it began.
    act(&mut app, Action::Filter);
    for c in "avtale".chars() {
        act(&mut app, Action::FilterInput(c));
    }
    assert!(app.sources.open.as_ref().unwrap().reading.cursor > left_at);
    act(&mut app, Action::Close);
    let r = &app.sources.open.as_ref().unwrap().reading;
    assert_eq!(r.cursor, left_at);
    assert!(r.search.hits.is_empty(), "the cancelled search is gone");
    assert_eq!(app.context(), Context::Reading);
}

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Event {
    Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

/// Where `needle` is drawn on the screen: its column and row.
fn drawn_at(t: &Terminal<TestBackend>, needle: &str) -> (u16, u16) {
    let buf = t.backend().buffer();
    for y in 0..buf.area.height {
        let row: Vec<&str> = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        let line: String = row.concat();
        if let Some(byte) = line.find(needle) {
            let col = line[..byte].chars().count();
            return (col as u16, y);
        }
    }
    panic!("{needle} is not on the screen");
}

#[test]
fn dragging_the_mouse_selects_and_the_selection_becomes_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = reading_study(dir.path());
    let r01 = index_of(&app, "r01");
    app.journey.journey = r01;
    app.journey.step = 0;
    read_first(&mut app);
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut hits = Default::default();
    t.draw(|f| hits = terreng::ui::draw(f, &app)).unwrap();
    let (x0, y) = drawn_at(&t, "Etter et halvt");
    let x1 = x0 + "Etter et halvt".len() as u16 - 1;
    let down = terreng::app::run::to_action(
        &app,
        &hits,
        mouse(MouseEventKind::Down(MouseButton::Left), x0, y),
    )
    .expect("a click in the text is an action");
    act(&mut app, down);
    let drag = terreng::app::run::to_action(
        &app,
        &hits,
        mouse(MouseEventKind::Drag(MouseButton::Left), x1, y),
    )
    .expect("a drag in the text is an action");
    act(&mut app, drag);
    let span = span_of(dir.path(), "intervju-03", "Etter et halvt");
    assert_eq!(
        app.sources.open.as_ref().unwrap().reading.passage(),
        Some(span)
    );
    act(&mut app, Action::PassageEvidence);
    act(&mut app, Action::SubmitForm);
    let disk = on_disk(dir.path(), "r01");
    let e = disk.steps[0].evidence.last().unwrap();
    assert_eq!((e.quote.as_str(), e.span), ("Etter et halvt", Some(span)));
    assert_eq!(e.translation, "");
}

#[test]
fn source_add_in_the_command_line_brings_a_document_in_and_the_list_follows() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("studie");
    let mut app = reading_study(&root);
    act(&mut app, Action::ShowSources);
    assert_eq!(app.sources.sources().len(), 1);
    let file = dir.path().join("Notat fra møtet.md");
    std::fs::write(&file, "# Møtet\n\nVi ble enige om å prøve igjen.\n").unwrap();
    let line = format!("source add \"{}\"", file.display());
    let run = |app: &mut App| {
        act(app, Action::CommandLine);
        for c in line.chars() {
            act(app, Action::CommandInput(c));
        }
        act(app, Action::RunCommand)
    };
    let effects = run(&mut app);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, terreng::app::Effect::AddSources { .. })),
        "{effects:?}"
    );
    let flash = app.flash.clone().unwrap_or_default();
    assert!(
        flash.contains("→ sources/notat-fra-motet.txt (40 characters)"),
        "{flash}"
    );
    assert!(app.sources.adding.is_none());
    let ids: Vec<&str> = app
        .sources
        .sources()
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(ids, ["intervju-03", "notat-fra-motet"]);
    assert!(root.join("sources/notat-fra-motet.ron").is_file());
    // Twice: said so, nothing added.
    run(&mut app);
    let flash = app.flash.clone().unwrap_or_default();
    assert!(flash.contains("in the study already"), "{flash}");
    assert_eq!(app.sources.sources().len(), 2);
    // A file that cannot be read: the error, nothing added.
    let line2 = "source add no-such-file.docx".to_string();
    act(&mut app, Action::CommandLine);
    for c in line2.chars() {
        act(&mut app, Action::CommandInput(c));
    }
    act(&mut app, Action::RunCommand);
    let flash = app.flash.clone().unwrap_or_default();
    assert!(
        flash.contains("NOT added: cannot read no-such-file.docx"),
        "{flash}"
    );
    assert_eq!(app.sources.sources().len(), 2);
}

#[test]
fn the_bundled_journeys_have_no_sources_and_say_how_to_get_some() {
    let mut app = common::bundled_app();
    act(&mut app, Action::Resize(80, 24));
    act(&mut app, Action::ShowSources);
    let screen = common::text(&common::screen(&app, 80, 24));
    assert!(screen.contains("terreng new DIR"), "{screen}");
    act(&mut app, Action::CommandLine);
    for c in "source add x.txt".chars() {
        act(&mut app, Action::CommandInput(c));
    }
    let effects = act(&mut app, Action::RunCommand);
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, terreng::app::Effect::AddSources { .. }))
    );
    assert!(app.flash.unwrap_or_default().contains("terreng new DIR"));
}

/// The real binary in a terminal, as a new user: a study with one Norwegian source, a phrase
/// searched, selected, made evidence of a new step (the study's first, so a journey is started
/// for it), quit — the journey file holds the quote and its span, and `check` passes.
#[test]
fn in_a_terminal_a_searched_phrase_becomes_a_step_and_check_passes() {
    use common::pty::Session;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let terreng = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_terreng"))
            .args(args)
            .current_dir(d)
            .env("HOME", d)
            .env("XDG_DATA_HOME", d.join("data"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    terreng(&["new", "studie", "--title", "Samarbeid i Ås"]);
    let text = "Vi møttes første gang på biblioteket. Det gikk sakte.\n\n\
                Etter et halvt år fikk vi en fast kontaktperson i kommunen. Da løsnet det.\n";
    std::fs::write(d.join("intervju-01.txt"), text).unwrap();
    terreng(&["--data", "studie", "source", "add", "intervju-01.txt"]);

    let mut s = Session::start(&["--data", "studie"], &[], d, 100, 30);
    s.wait_for("This study has 1 source and no journeys so far.");
    s.press("6", "Sources · 1");
    s.press("\r", "Vi møttes første gang");
    s.send("/");
    s.press("fast kontaktperson", "/fast kontaktperson▏ 1 hit");
    s.press("\r", "the one hit");
    s.press("v", "18 characters: «fast kontaktperson»");
    s.press("s", "New journey");
    s.send("Kontakten\t\t\tEt fast samarbeid");
    s.press("\x13", "First step of kontakten");
    s.send("\tEn fast kontaktperson");
    s.press("\x13", "saved to");
    s.send("q");
    s.wait_exit();
    let after = s.text();
    assert!(after.contains("exit=0"), "{after}");

    let journey = on_disk(&d.join("studie"), "kontakten");
    let e = &journey.steps[0].evidence[0];
    let at = text.find("fast kontaktperson").unwrap();
    let start = text[..at].chars().count();
    assert_eq!(e.quote, "fast kontaktperson");
    assert_eq!(e.span, Some((start, start + 18)));
    assert_eq!(e.source.as_deref(), Some("intervju-01"));
    assert_eq!(journey.steps[0].title, "En fast kontaktperson");
    let checked = terreng(&["--data", "studie", "check"]);
    assert!(checked.contains("1 found (1 at their span"), "{checked}");
}
