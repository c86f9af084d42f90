//! Writing a journey in the real binary, in a pseudo-terminal, as a new user would: an empty
//! study made with `terreng new`, a journey started with `N` (with its first step), two more
//! steps added with `A`, a code made from the picker on the way, and the files on disk after
//! `q` hold all of it.

mod common;

use common::pty::Session;
use terreng::model::{Journey, StepKind, Terrain};
use terreng::store::parse;

const TAB: &str = "\t";
const ENTER: &str = "\r";
const CTRL_S: &str = "\x13";

#[test]
fn a_three_step_journey_and_a_new_code_from_the_picker_are_on_disk_after_quitting() {
    let home = tempfile::tempdir().unwrap();
    let study = home.path().join("studie");
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_terreng"))
        .args(["new", "--empty-codebook", "--title", "Nord"])
        .arg(&study)
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let data = study.display().to_string();
    let mut s = Session::start(
        &["--data", &data],
        &[("TERRENG_ANALYST", "hh")],
        home.path(),
        120,
        40,
    );
    s.wait_for("N starts one");

    // A journey: its title, then (past the id and the theme) its goal and its first step.
    s.press("N", "New journey");
    s.send("Gruppe Nord");
    s.send(&TAB.repeat(3));
    s.send("Et felles lederteam");
    s.send(TAB);
    s.send("Satte i gang");
    s.press(CTRL_S, "journey gruppe_nord started");

    // The second: blocked, with a code nobody has made yet, made in the picker.
    s.press("A", "New step s02");
    s.send("Muren");
    s.send(ENTER);
    s.send("b");
    s.send(&TAB.repeat(3));
    s.send("Budsjett");
    s.wait_for("a new obstacle «Budsjett»");
    s.press(ENTER, "obstacle 'budsjett' added");
    s.press(CTRL_S, "[ budsjett ]");
    s.press(CTRL_S, "step s02 added");

    // The third.
    s.press("A", "New step s03");
    s.send("Videre");
    s.press(CTRL_S, "step s03 added");

    s.send("q");
    s.wait_exit();
    assert!(s.text().contains("exit=0"), "{}", s.text());

    let path = study.join("journeys/gruppe_nord.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let j: Journey = parse::parse("gruppe_nord.ron", &text).unwrap();
    let steps: Vec<(&str, StepKind, &str)> = j
        .steps
        .iter()
        .map(|s| (s.id.as_str(), s.kind, s.title.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("s01", StepKind::Advance, "Satte i gang"),
            ("s02", StepKind::Blocked, "Muren"),
            ("s03", StepKind::Advance, "Videre"),
        ]
    );
    assert_eq!(j.steps[1].obstacles, ["budsjett"]);
    assert_eq!(j.goal, "Et felles lederteam");
    let t: Terrain = parse::parse(
        "terrain.ron",
        &std::fs::read_to_string(study.join("terrain.ron")).unwrap(),
    )
    .unwrap();
    let (class, code) = t
        .feature("budsjett")
        .expect("the new code is in the catalogue");
    assert_eq!((class.name(), code.en.as_str()), ("obstacle", "Budsjett"));
    // The files load and check, but for the evidence the steps do not have yet.
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_terreng"))
        .args(["check", &data])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&check.stderr).to_string();
    let problems: Vec<&str> = said.lines().filter(|l| l.contains(".ron:")).collect();
    assert_eq!(problems.len(), 3, "{said}");
    assert!(
        problems
            .iter()
            .all(|p| p.contains("is Documented but has no evidence")),
        "{said}"
    );
}
