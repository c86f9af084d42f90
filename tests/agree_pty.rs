//! The agreement screen of a large study in the real binary, in a pseudo-terminal: keys are
//! answered and drawn while the analysis runs on its worker. The session itself is in
//! `common/pty.rs`.

mod common;

use std::time::Duration;

use common::pty::{RIGHT, Session};

/// How long loading the corpus and the first agreement may take in a debug build.
const LONG: Duration = Duration::from_secs(300);

/// An L corpus as `terreng gen` makes it (2,000 journeys × 40 steps, 200,000 notes by four
/// analysts): its agreement analysis (50,620 steps coded by two or more analysts, each code's
/// units counted, the 50,608 that differ listed) takes tens of frames in a release build and
/// seconds in a debug one, where a key and its frame take milliseconds.
///
/// The agreement screen is opened once and its result waited for. Then the atlas is filtered
/// to half the journeys, and `5` opens the agreement screen again: its analysis runs again for
/// the journeys in view, and the last result stays on screen with the progress line under it.
/// → at once moves to the next disagreement of that result, and the screen shows the move
/// while the progress line still says the agreement is being computed: the key did not wait
/// for the analysis. (On the first visit there is no disagreement to move to until the result
/// is in, so the move is made on the second.) Then the new result arrives and the progress
/// line goes.
#[test]
#[ignore = "builds an L corpus: minutes in a debug build"]
fn a_move_on_the_agreement_screen_is_drawn_before_its_analysis_is_done() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let corpus_arg = corpus.to_str().unwrap();
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_terreng"))
        .args([
            "gen",
            "--out",
            corpus_arg,
            "--journeys",
            "2000",
            "--steps",
            "40",
        ])
        .args(["--notes", "200000", "--analysts", "4"])
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let args = ["--data", corpus_arg, "--analyst", "analyst1"];
    let mut s = Session::start(&args, &[], dir.path(), 160, 48);
    s.wait_within("everything loaded", LONG, |t| {
        t.contains("2000 journeys") && !t.contains("loading:")
    });
    s.send("5");
    let all = "Disagreement 1/50608";
    s.wait_within("the first result", LONG, |t| {
        t.contains(all) && !t.contains("computing:")
    });
    // Half the journeys: ids syn000000 to syn000999.
    s.send("1/syn000\r");
    s.wait_within("the atlas filtered", LONG, |t| t.contains("1000 of 2000"));
    s.send("5");
    s.send(RIGHT);
    let moved = s.wait_until("the move drawn while the analysis runs", |t| {
        t.contains("Disagreement 2/50608")
            && t.contains("computing: the analysts' agreement on 1000 journeys")
    });
    assert!(
        moved.contains("what is shown is the last result"),
        "{moved}"
    );
    let done = s.wait_within("the new result", LONG, |t| {
        t.contains("Disagreement 2/") && !t.contains("computing:") && !t.contains("/50608")
    });
    assert!(done.contains("filter /syn000"), "{done}");
    s.send("q");
    s.wait_exit();
    assert!(s.text().contains("exit=0"), "{}", s.text());
}
