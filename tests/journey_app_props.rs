//! Any run of step edits made in the app — add after, insert before, edit in the form, move,
//! delete (answering the question a step with notes asks), undo and redo — through
//! `terreng::app::act`, as keys would: after every action the journey's file reads back as the
//! journey in the app, the steps are those a plain model of the run expects, and every note is
//! on its step or, exactly while its step is deleted, an orphan.

mod common;

use std::path::Path;

use proptest::prelude::*;
use terreng::app::key::Key;
use terreng::app::state::Overlay;
use terreng::app::{Action, App, act};
use terreng::model::{Journey, Note};
use terreng::store::annotations::{Change, NoteStore};
use terreng::store::{self, DataSource, parse};
use terreng::ui::theme::Look;

#[derive(Debug, Clone)]
enum Op {
    AddAfter(prop::sample::Index),
    InsertBefore(prop::sample::Index),
    Edit(prop::sample::Index, char),
    Later(prop::sample::Index),
    Earlier(prop::sample::Index),
    Delete(prop::sample::Index),
    Undo,
    Redo,
}

fn op() -> impl Strategy<Value = Op> {
    let i = any::<prop::sample::Index>;
    prop_oneof![
        i().prop_map(Op::AddAfter),
        i().prop_map(Op::InsertBefore),
        (i(), prop::sample::select(vec!['a', 'ø', ' ', '«'])).prop_map(|(i, c)| Op::Edit(i, c)),
        i().prop_map(Op::Later),
        i().prop_map(Op::Earlier),
        i().prop_map(Op::Delete),
        Just(Op::Undo),
        Just(Op::Redo),
    ]
}

/// The study with one journey, f01, and a note of hh's and one of kv's on each of its steps.
fn study(dir: &Path) -> App {
    let from = common::study_dir();
    std::fs::create_dir_all(dir.join("journeys")).unwrap();
    std::fs::copy(from.join("journeys/f01.ron"), dir.join("journeys/f01.ron")).unwrap();
    std::fs::copy(from.join("terrain.ron"), dir.join("terrain.ron")).unwrap();
    let data = store::load(&DataSource::Dir(dir.to_path_buf()), None);
    assert!(data.problems.is_empty(), "{:?}", data.problems);
    let steps: Vec<String> = data.journeys[0]
        .steps
        .iter()
        .map(|s| s.id.clone())
        .collect();
    for analyst in ["hh", "kv"] {
        let (mut notes, _) = NoteStore::open(&dir.join("annotations"), analyst);
        for s in &steps {
            let note = Note::new(s, vec![], format!("{analyst} on {s}"));
            notes
                .apply(Change::Put {
                    journey: "f01".into(),
                    note,
                })
                .unwrap();
        }
    }
    let (notes, _) = NoteStore::open(&dir.join("annotations"), "hh");
    let mut app = App::new(data, Look::default()).with_notes(notes, vec![]);
    act(&mut app, Action::Open);
    app
}

fn ids(j: &Journey) -> Vec<String> {
    j.steps.iter().map(|s| s.id.clone()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn any_run_of_edits_keeps_the_file_the_state_and_the_notes(
        ops in prop::collection::vec(op(), 1..24),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut app = study(dir.path());
        let path = dir.path().join("journeys/f01.ron");
        // The model: the step ids in order, and the histories of them.
        let mut model = ids(&app.session.data.journeys[0]);
        let first = model.clone();
        let mut undo: Vec<Vec<String>> = Vec::new();
        let mut redo: Vec<Vec<String>> = Vec::new();
        // Every step id a note is on.
        let noted: Vec<String> = app.all_notes().iter().map(|(_, _, n)| n.step.clone()).collect();
        for op in ops {
            let n = model.len();
            let select = |app: &mut App, i: &prop::sample::Index| {
                if n > 0 {
                    act(app, Action::SelectStep(i.index(n)));
                }
                app.journey.step
            };
            let before = model.clone();
            let changed = match &op {
                Op::AddAfter(i) | Op::InsertBefore(i) => {
                    let at = select(&mut app, i);
                    let after = matches!(op, Op::AddAfter(_));
                    act(&mut app, if after { Action::AddStepAfter } else { Action::InsertStepBefore });
                    act(&mut app, Action::FormKey(Key::char('t')));
                    act(&mut app, Action::SubmitForm);
                    prop_assert_eq!(app.overlay, Overlay::None);
                    let index = if n == 0 { 0 } else if after { at + 1 } else { at };
                    let new = app.session.data.journeys[0].steps[index].id.clone();
                    prop_assert!(!model.contains(&new), "a new id");
                    prop_assert!(!noted.contains(&new), "never the id of a step a note is on");
                    prop_assert!(!first.contains(&new));
                    model.insert(index, new);
                    true
                }
                Op::Edit(i, c) => {
                    if n == 0 {
                        false
                    } else {
                        select(&mut app, i);
                        act(&mut app, Action::EditStep);
                        act(&mut app, Action::FormKey(Key::char(*c)));
                        act(&mut app, Action::SubmitForm);
                        prop_assert_eq!(app.overlay, Overlay::None);
                        // A trailing space is trimmed: the title did not change.
                        *c != ' '
                    }
                }
                Op::Later(i) | Op::Earlier(i) => {
                    if n == 0 {
                        false
                    } else {
                        let at = select(&mut app, i);
                        let later = matches!(op, Op::Later(_));
                        act(&mut app, if later { Action::MoveStepLater } else { Action::MoveStepEarlier });
                        let to = if later { at + 1 } else { at.wrapping_sub(1) };
                        if to < n {
                            let s = model.remove(at);
                            model.insert(to, s);
                            prop_assert_eq!(app.journey.step, to, "the moved step stays current");
                            true
                        } else {
                            false
                        }
                    }
                }
                Op::Delete(i) => {
                    if n <= 1 {
                        // The only step stays: a journey without steps is not loaded.
                        act(&mut app, Action::DeleteStep);
                        prop_assert_eq!(app.overlay, Overlay::None);
                        false
                    } else {
                        let at = select(&mut app, i);
                        act(&mut app, Action::DeleteStep);
                        let has_notes = noted.contains(&model[at]);
                        prop_assert_eq!(app.overlay == Overlay::Confirm, has_notes);
                        if has_notes {
                            act(&mut app, Action::Yes);
                        }
                        model.remove(at);
                        true
                    }
                }
                Op::Undo => {
                    act(&mut app, Action::Undo);
                    if let Some(m) = undo.pop() {
                        redo.push(std::mem::replace(&mut model, m));
                    }
                    false
                }
                Op::Redo => {
                    act(&mut app, Action::Redo);
                    if let Some(m) = redo.pop() {
                        undo.push(std::mem::replace(&mut model, m));
                    }
                    false
                }
            };
            if changed {
                undo.push(before);
                redo.clear();
            }
            let state = app.session.data.journeys[0].clone();
            let text = std::fs::read_to_string(&path).unwrap();
            let disk: Journey = parse::parse("f01.ron", &text).unwrap();
            prop_assert_eq!(&disk, &state, "the file is the state after {:?}", op);
            prop_assert_eq!(ids(&state), model.clone(), "after {:?}", op);
            // Every note: on its step, or an orphan exactly while its step is gone.
            let orphans: Vec<String> = app.orphans().into_iter().map(|o| o.note.step).collect();
            for step in &noted {
                prop_assert_eq!(orphans.contains(step), !model.contains(step), "{}", step);
            }
            prop_assert_eq!(orphans.len(), noted.iter().filter(|s| !model.contains(s)).count());
        }
    }
}
