//! The real binary in a pseudo-terminal, read back through a terminal emulator (vt100): what a
//! user sees, what reaches the terminal, and the state the terminal is left in. The session
//! itself is in `common/pty.rs`.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::pty::{ESC, RIGHT, Session};
use terreng::app::App;
use terreng::store::{self, DataSource};
use terreng::ui::theme::Look;

fn first_journey_step_title(step: usize) -> String {
    let app = App::new(store::load(&DataSource::Bundled, None), Look::default());
    let j = &app.session.data.journeys[app.session.order[0]];
    j.steps[step].title.clone()
}

#[test]
fn walk_a_journey_read_help_and_quit_leaving_the_terminal_as_it_was() {
    let elsewhere = tempfile::tempdir().unwrap();
    let mut s = Session::start(&[], &[], elsewhere.path(), 160, 48);
    s.wait_for("Journeys ·");
    assert!(
        s.screen().screen().alternate_screen(),
        "the app draws on the alternate screen"
    );

    s.press("\r", "step 1/");
    s.send(RIGHT);
    s.send(RIGHT);
    s.send(RIGHT);
    let title = first_journey_step_title(3);
    let screen = s.wait_for(&title);
    assert!(screen.contains("step 4/"), "{screen}");

    s.send("?");
    let help = s.wait_for("Esc closes");
    assert!(
        help.contains("next step") && help.contains("add a note"),
        "{help}"
    );
    s.send(ESC);
    s.wait_gone("Esc closes");
    s.send("q");
    s.wait_exit();

    let after = s.screen();
    assert!(
        !after.screen().alternate_screen(),
        "left the alternate screen"
    );
    let text = after.screen().contents();
    assert!(text.contains("exit=0"), "{text}");
    // stty prints "-icanon -echo" in raw mode; restored, it prints "icanon" and "echo".
    let words: Vec<&str> = text.split_whitespace().collect();
    assert!(
        words.contains(&"icanon") && words.contains(&"echo"),
        "raw mode left on:\n{text}"
    );
    let bytes = s.bytes();
    for disable in ["\x1b[?1000l", "\x1b[?2004l"] {
        assert!(
            bytes
                .windows(disable.len())
                .any(|w| w == disable.as_bytes()),
            "mouse capture and bracketed paste are switched off again ({disable:?})"
        );
    }
}

/// A user's keymap.ron that binds quit to `x`: `q` no longer quits, `x` does. A keymap that
/// does not parse is reported among the problems, located, and the defaults work.
#[test]
fn a_user_keymap_binds_quit_to_x_in_the_real_binary() {
    let dir = tempfile::tempdir().unwrap();
    let keymap = dir.path().join("keymap.ron");
    std::fs::write(
        &keymap,
        "// quit with x\n{ Global: [(keys: [\"x\"], action: Quit)] }\n",
    )
    .unwrap();
    let path = keymap.display().to_string();
    let mut s = Session::start(&[], &[("TERRENG_KEYMAP", &path)], dir.path(), 120, 40);
    s.wait_for("x quit");
    s.send("q");
    s.send("2");
    s.wait_for("step 1/");
    assert!(s.running(), "q no longer quits");
    s.send("x");
    s.wait_exit();
    let text = s.text();
    assert!(text.contains("exit=0"), "{text}");

    std::fs::write(
        &keymap,
        "{\n  Global: [(keys: [\"Ctlr-x\"], action: Quit)],\n}\n",
    )
    .unwrap();
    let mut s = Session::start(&[], &[("TERRENG_KEYMAP", &path)], dir.path(), 120, 40);
    s.wait_for("q quit");
    s.send("!");
    let problems = s.wait_for("unknown key");
    assert!(problems.contains("keymap.ron:2:"), "{problems}");
    s.send(ESC);
    s.wait_gone("unknown key");
    s.send("q");
    s.wait_exit();
}

#[test]
fn escape_sequences_in_a_journey_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("journeys")).unwrap();
    let evil = std::fs::read_to_string("tests/fixtures/good/journeys/ok.ron")
        .unwrap()
        .replace(
            "A small journey — Ærlig og grei",
            "Evil \x1b]0;PWNED\x07 title \u{9b}31mRED",
        )
        .replace(
            "They set out.",
            "Clear \x1b[5;7HMOVED and \x1b[2Jwiped and \x08\x08back \rreturn",
        );
    std::fs::write(dir.path().join("journeys/ok.ron"), evil).unwrap();
    std::fs::copy(
        "tests/fixtures/good/terrain.ron",
        dir.path().join("journeys/terrain.ron"),
    )
    .unwrap();

    let mut s = Session::start(&[], &[], dir.path(), 160, 48);
    s.wait_for("PWNED");
    s.send("\r");
    s.wait_for("MOVED");
    s.send("q");
    s.wait_exit();

    let bytes = s.bytes();
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(
        !contains(b"\x1b]0;PWNED"),
        "an OSC from the file reached the terminal"
    );
    assert!(
        !contains(b"\x1b[5;7HMOVED"),
        "a cursor move from the file reached the terminal"
    );
    assert!(
        !contains(b"\x1b[2Jwiped"),
        "a screen clear from the file reached the terminal"
    );
    assert!(
        !contains("\u{9b}".as_bytes()),
        "a C1 CSI from the file reached the terminal"
    );
    assert!(
        !contains(b"\x08back") && !contains(b"\rreturn"),
        "backspace or CR from the file reached the terminal"
    );
    // The text itself is shown, with visible stand-ins.
    assert!(contains("␛]0;PWNED␇".as_bytes()), "the OSC is shown inert");
    assert!(contains("␛[5;7HMOVED".as_bytes()), "the CSI is shown inert");
}

#[test]
fn a_panic_while_drawing_restores_the_terminal_before_the_message() {
    let elsewhere = tempfile::tempdir().unwrap();
    let mut s = Session::start(
        &[],
        &[("TERRENG_TEST_PANIC_IN_DRAW", "1")],
        elsewhere.path(),
        100,
        30,
    );
    s.wait_exit();
    let bytes = s.bytes();
    let find = |needle: &[u8]| bytes.windows(needle.len()).position(|w| w == needle);
    let left = find(b"\x1b[?1049l").expect("the alternate screen is left");
    let message = find(b"a test panic inside drawing").expect("the panic message is printed");
    assert!(
        left < message,
        "the terminal is restored before the panic message prints"
    );
    let text = s.text();
    assert!(text.contains("a test panic inside drawing"), "{text}");
    let words: Vec<&str> = text.split_whitespace().collect();
    assert!(
        words.contains(&"icanon") && words.contains(&"echo"),
        "raw mode left on:\n{text}"
    );
    assert!(
        !text.contains("exit=0"),
        "a panic is not a clean exit:\n{text}"
    );
}

/// The analyst's file for a journey, parsed, once it holds `count` notes (waits up to 10 s).
fn notes_on_disk(path: &Path, count: usize) -> terreng::model::Annotations {
    let start = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(path)
            && let Ok(a) = ron::Options::default()
                .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
                .from_str::<terreng::model::Annotations>(&text)
            && a.notes.len() == count
        {
            return a;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{} never held {count} note(s): {:?}",
            path.display(),
            std::fs::read_to_string(path)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_note_written_in_the_app_is_on_disk_comes_back_and_survives_delete_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let ann = dir.path().join("ann");
    let ann_arg = ann.to_str().unwrap().to_string();
    let args = ["--annotations", ann_arg.as_str(), "--analyst", "tester"];
    let app = App::new(store::load(&DataSource::Bundled, None), Look::default());
    let first = &app.session.data.journeys[app.session.order[0]];
    let file = ann.join("tester").join(format!("{}.ron", first.id));
    let text = "Høflig motstand: æøå ÆØÅ";

    let mut s = Session::start(&args, &[], dir.path(), 160, 48);
    s.wait_for("Journeys ·");
    s.send("\r");
    s.wait_for(&first.steps[0].title);
    s.press("a", "New note");
    s.press(text, "motstand");
    s.send("\t");
    // A search, and Enter chooses the code found (the search clears for the next).
    s.press("fjellvegg", "Fjellvegg (taus");
    s.send("\r");
    s.press("timescar", "Time scarcity");
    s.send("\r");
    s.send("\x13"); // Ctrl-S
    s.wait_for("note added");
    let saved = notes_on_disk(&file, 1);
    let note = &saved.notes[0];
    assert_eq!(note.text, text);
    assert_eq!(note.codes, ["tacit_resistance", "time_scarcity"]);
    assert_eq!(note.step, first.steps[0].id);
    assert_eq!(saved.analyst, "tester");
    s.send("q");
    s.wait_exit();
    assert!(s.text().contains("exit=0"), "{}", s.text());

    // Start again: the note is shown under its step.
    let mut s = Session::start(&args, &[], dir.path(), 160, 48);
    s.wait_for("Journeys ·");
    s.send("\r");
    let screen = s.wait_for("Høflig motstand");
    assert!(screen.contains("Notes · 1"), "{screen}");
    // Delete it, and bring it back: both on disk.
    s.send("d");
    notes_on_disk(&file, 0);
    s.send("u");
    let back = notes_on_disk(&file, 1);
    assert_eq!(back.notes[0].id, note.id);
    assert_eq!(back.notes[0].text, text);
    s.send("q");
    s.wait_exit();
    assert!(s.text().contains("exit=0"), "{}", s.text());
}

/// Mark two journeys in the atlas, open the compare screen, step three times: both panes show
/// their fourth step, each with its own title.
#[test]
fn two_marked_journeys_step_in_lockstep_on_the_compare_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::start(&[], &[], dir.path(), 160, 48);
    s.wait_for("Journeys ·");
    s.send("mjm3");
    s.wait_for("step 1/");
    for n in 2..=4 {
        s.press(RIGHT, &format!("step {n}/"));
    }
    let app = App::new(store::load(&DataSource::Bundled, None), Look::default());
    let (a, b) = (
        &app.session.data.journeys[app.session.order[0]],
        &app.session.data.journeys[app.session.order[1]],
    );
    let screen = s.wait_for(&format!("step 4/{} · ", b.steps.len()));
    assert!(
        screen.contains(&format!("step 4/{} · ", a.steps.len())),
        "{screen}"
    );
    assert_eq!(screen.matches("step 4/").count(), 2, "{screen}");
    for j in [a, b] {
        let title: String = j.steps[3].title.chars().take(12).collect();
        assert!(screen.contains(&title), "{title:?} in\n{screen}");
    }
    s.send("q");
    s.wait_exit();
}

/// Two analysts' notes on g06, written as files: (analyst, note id, step, codes).
fn two_analysts_notes(root: &Path, notes: &[(&str, &str, &str, &[&str])]) {
    for analyst in ["hh", "kv"] {
        let mut a = terreng::model::Annotations::new(analyst, "g06");
        for (_, id, step, codes) in notes.iter().filter(|n| n.0 == analyst) {
            a.notes.push(terreng::model::Note {
                id: id.to_string(),
                step: step.to_string(),
                codes: codes.iter().map(|c| c.to_string()).collect(),
                text: format!("{analyst} on {step}"),
                created: "2026-01-01T00:00:00Z".into(),
                updated: "2026-01-01T00:00:00Z".into(),
                conflict_of: None,
            });
        }
        std::fs::create_dir_all(root.join(analyst)).unwrap();
        std::fs::write(
            root.join(analyst).join("g06.ron"),
            ron::ser::to_string_pretty(&a, ron::ser::PrettyConfig::default()).unwrap(),
        )
        .unwrap();
    }
}

/// With two analysts' notes on disk: open the agreement screen, step to the first
/// disagreement, choose the code kv used and hh did not, adopt it, and hh's file has it.
#[test]
fn adopting_a_code_on_the_agreement_screen_changes_the_file_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let ann = dir.path().join("ann");
    two_analysts_notes(
        &ann,
        &[
            ("hh", "01A", "s02", &["tacit_resistance"]),
            ("kv", "02A", "s02", &["tacit_resistance"]),
            ("hh", "01B", "s05", &["time_scarcity"]),
            ("kv", "02B", "s05", &["time_scarcity", "unclear_mandate"]),
        ],
    );
    let ann_arg = ann.to_str().unwrap().to_string();
    let args = ["--annotations", ann_arg.as_str(), "--analyst", "hh"];
    let mut s = Session::start(&args, &[], dir.path(), 100, 30);
    s.wait_for("Journeys ·");
    s.press("5", "Disagreement 1/1");
    s.send("Gg");
    let screen = s.wait_for("Unclear mandate");
    assert!(screen.contains("s05"), "{screen}");
    s.send("a");
    s.wait_for("adopted unclear_mandate");
    let saved = notes_on_disk(&ann.join("hh").join("g06.ron"), 2);
    let note = saved.notes.iter().find(|n| n.id == "01B").unwrap();
    assert_eq!(note.codes, ["time_scarcity", "unclear_mandate"]);
    // They agree everywhere now.
    s.wait_for("agree on every step");
    s.send("q");
    s.wait_exit();
    assert!(s.text().contains("exit=0"), "{}", s.text());
}

/// Names and folders are checked before the terminal is taken: `--annotations` naming a file,
/// or an analyst name longer than a folder name allows, is an error with exit 1 that says
/// what to do, and the app never starts.
#[test]
fn a_file_as_annotations_folder_or_an_overlong_analyst_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "not a folder").unwrap();
    let long = "𝔞".repeat(64);
    let file_arg = file.display().to_string();
    for (args, says) in [
        (
            vec!["--annotations", file_arg.as_str()],
            "is a file, not a folder",
        ),
        (vec!["--analyst", long.as_str()], "bytes in UTF-8"),
    ] {
        let mut s = Session::start(&args, &[], dir.path(), 100, 24);
        s.wait_for("stty-done");
        let shown = String::from_utf8_lossy(&s.bytes()).replace("\r\n", "");
        assert!(shown.contains(says), "{args:?}: {shown}");
        assert!(shown.contains("exit=1"), "{args:?}: {shown}");
        assert!(
            !shown.contains("Journeys ·"),
            "the app never started: {shown}"
        );
        s.wait_exit();
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder");
}
