//! What an attacker or a careless user puts in the files and the arguments: hostile text in
//! every field through every command, special files where journeys and notes should be, and
//! exports aimed at symlinks and devices. Nothing from the data reaches a terminal as a
//! control sequence, nothing hangs, and nothing is written where it should not be.

use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use terreng::model::Note;
use terreng::store::annotations::{Change, NoteStore};

/// Clipboard write (OSC 52), window title (OSC 0), CR/LF that would forge a line, a C1 CSI,
/// and the bidi controls `inert` once missed.
const HOSTILE: &str = "evil\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}]0;title\u{7}\r\nforged\u{9b}31m\u{200e}\u{200f}\u{61c}\u{202e}";

fn terreng(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("terreng").unwrap();
    cmd.current_dir(dir)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .timeout(Duration::from_secs(60));
    cmd
}

/// A byte sequence a terminal would act on: ESC, BEL, CR, a C1 control (UTF-8 C2 80–9F) or a
/// bidi control; or a line the data forged.
fn interpretable(bytes: &[u8]) -> Option<String> {
    controls(bytes).or_else(|| {
        let text = String::from_utf8_lossy(bytes);
        text.lines()
            .find(|l| l.starts_with("forged"))
            .map(|l| format!("a forged line {l:?} in:\n{text}"))
    })
}

/// A control character (but LF and TAB) or a bidi control in `bytes`.
fn controls(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    if let Some(c) = text.chars().find(|&c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{61c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }) {
        return Some(format!("{c:?} in:\n{text}"));
    }
    None
}

/// A synthetic study with hostile text in a journey's unknown obstacle, a journey file's name,
/// note codes and step ids, and an analyst folder's name.
fn hostile_study() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    terreng(dir.path())
        .args(["gen", "-o", "study", "--journeys", "3", "--steps", "4"])
        .args(["--notes", "6", "--analysts", "2"])
        .assert()
        .success();
    let study = dir.path().join("study");
    let journeys = study.join("journeys");
    let first = std::fs::read_dir(&journeys)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "ron"))
        .unwrap();
    let text = std::fs::read_to_string(&first).unwrap();
    // An unknown obstacle with the hostile name, in a copy under a hostile file name.
    let bad = text.replacen("obstacles: [", &format!("obstacles: [{HOSTILE:?}, "), 1);
    assert_ne!(bad, text);
    std::fs::write(journeys.join(format!("{HOSTILE}.ron")), &bad).unwrap();
    // Notes of a third analyst with a hostile code, on a step another analyst coded (so that
    // agreement counts it), and on a hostile step.
    let (others, _) = NoteStore::read(&study.join("annotations"));
    let (_, journey, coded) = others.all()[0];
    let (id, coded) = (journey.to_string(), coded.step.clone());
    let (mut store, _) = NoteStore::open(&study.join("annotations"), "zz");
    for step in [coded.as_str(), HOSTILE] {
        let note = Note::new(
            step,
            vec![HOSTILE.into(), "time_scarcity".into()],
            HOSTILE.into(),
        );
        store
            .apply(Change::Put {
                journey: id.clone(),
                note,
            })
            .unwrap();
    }
    std::fs::create_dir_all(study.join("annotations").join(HOSTILE)).unwrap();
    dir
}

#[test]
fn no_hostile_field_reaches_the_terminal_from_any_command() {
    let dir = hostile_study();
    let d = dir.path();
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", "study"],
        vec!["--data", "study", "stats", "--source", "both"],
        vec!["--data", "study", "stats", "--source", "both", "--json"],
        vec!["--data", "study", "compare", HOSTILE, "syn000000"],
        vec![
            "--data", "study", "compare", "--theme", HOSTILE, "--theme", "x",
        ],
        vec!["--data", "study", "agree"],
        vec!["--data", "study", "agree", "--json"],
        vec!["--data", "study", "agree", "--journey", HOSTILE],
        vec![
            "--data",
            "study",
            "export",
            "md",
            "-o",
            "out.md",
            "--journey",
            HOSTILE,
        ],
        vec!["--data", "study", "export", "md", "-o", HOSTILE],
        vec!["--data", "study", "--analyst", HOSTILE, "check"],
        vec!["--data", HOSTILE, "check"],
    ];
    for args in runs {
        let out = terreng(d).args(&args).output().unwrap();
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            if let Some(what) = interpretable(bytes) {
                panic!("terreng {args:?} printed on {stream} {what}");
            }
        }
    }
}

#[test]
fn exports_keep_hostile_text_as_visible_escapes() {
    let dir = hostile_study();
    let d = dir.path();
    for (format, file) in [("md", "r.md"), ("csv", "c.csv")] {
        terreng(d)
            .args(["--data", "study", "export", format, "-o", file])
            .assert()
            .success();
    }
    for file in ["r.md", "c.csv", "c-notes.csv", "c-matrix.csv"] {
        let bytes = std::fs::read(d.join(file)).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        // CSV rows end in CRLF (RFC 4180); every other control is escaped. (A note's lines
        // stay lines, in a quoted CSV cell or a Markdown paragraph.)
        let text = text.replace("\r\n", "\n");
        if let Some(what) = controls(text.as_bytes()) {
            panic!("{file} holds {what}");
        }
    }
    let notes = std::fs::read_to_string(d.join("c-notes.csv")).unwrap();
    assert!(notes.contains(r"evil\u{1b}]52;c;ZXZpbA==\u{7}"), "{notes}");
    let md = std::fs::read_to_string(d.join("r.md")).unwrap();
    assert!(md.contains(r"\u{202e}"), "the override is kept visibly");
}

#[test]
fn json_escapes_c1_controls() {
    let dir = hostile_study();
    let out = terreng(dir.path())
        .args(["--data", "study", "agree", "--json"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(r"\u009b"), "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(v.to_string().contains('\u{9b}'), "the value itself is kept");
}

#[cfg(unix)]
#[test]
fn special_files_are_reported_never_read_and_nothing_hangs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    terreng(d)
        .args(["gen", "-o", "study", "--journeys", "2", "--steps", "3"])
        .assert()
        .success();
    let journeys = d.join("study/journeys");
    let fifo = std::ffi::CString::new(journeys.join("x.ron").to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    std::os::unix::fs::symlink("/dev/zero", journeys.join("zero.ron")).unwrap();
    let sparse = std::fs::File::create(journeys.join("sparse.ron")).unwrap();
    sparse.set_len(2 << 30).unwrap();
    // An analyst folder that leads outside the annotations folder.
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.join("study/annotations")).unwrap();
    std::os::unix::fs::symlink(outside.path(), d.join("study/annotations/hh")).unwrap();

    let started = Instant::now();
    let out = terreng(d).args(["check", "study"]).output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(30));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("x.ron: cannot read: it is a FIFO"), "{err}");
    assert!(
        err.contains("zero.ron: cannot read: it is a device"),
        "{err}"
    );
    assert!(
        err.contains("sparse.ron: cannot read: the file is over 64 MiB"),
        "{err}"
    );
    assert!(err.contains("outside the annotations folder"), "{err}");
}

#[cfg(unix)]
#[test]
fn exports_never_write_through_a_symlink_nor_over_a_device() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("precious.txt"), "keep").unwrap();
    std::os::unix::fs::symlink(d.join("precious.txt"), d.join("out.md")).unwrap();
    std::os::unix::fs::symlink(d.join("precious.txt"), d.join("out.md.part")).unwrap();
    let out = terreng(d)
        .args(["export", "md", "-o", "out.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
    assert_eq!(
        std::fs::read_to_string(d.join("precious.txt")).unwrap(),
        "keep"
    );

    for device in ["/dev/null", "/dev/full"] {
        let out = terreng(d)
            .args(["export", "csv", "-o", device])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{device}");
        use std::os::unix::fs::FileTypeExt;
        let kind = std::fs::symlink_metadata(device).unwrap().file_type();
        assert!(kind.is_char_device(), "{device} is still a device");
        assert!(!Path::new(&format!("{device}-matrix.csv")).exists());
    }

    // Standard output: the report itself, and the message on stderr.
    let out = terreng(d)
        .args(["export", "md", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("# "));
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrote"));
    // Nothing left beside the targets.
    let mut names: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["out.md", "out.md.part", "precious.txt"]);
}
