//! The sequences screen through `terreng::app::act`: what it analyses, its cursor, the
//! number of clusters, the distance and channel, Enter to a step and back, the alignment of two
//! journeys with both steps' evidence, and the compare screen's nearest journeys under the
//! distance chosen here.

use std::sync::Arc;

use terreng::analysis::sequence::align::Op;
use terreng::analysis::sequence::distance;
use terreng::analysis::sequence::view::Measure;
use terreng::analysis::sequence::{By, CodeClass, Sequences};
use terreng::app::state::{Screen, SeqPane};
use terreng::app::{Action, App, Effect, act, update};
use terreng::model::Journey;
use terreng::store::{self, DataSource};
use terreng::ui::theme::Look;

fn bundled() -> App {
    App::new(store::load(&DataSource::Bundled, None), Look::default())
}

fn index(app: &App, id: &str) -> usize {
    app.session
        .data
        .journeys
        .iter()
        .position(|j| j.id == id)
        .unwrap_or_else(|| panic!("no journey {id}"))
}

fn acts(app: &mut App, actions: &[Action]) {
    for a in actions {
        act(app, a.clone());
    }
}

/// Moves the cursor down to journey `id` (from the top).
fn cursor_to(app: &mut App, id: &str) {
    act(app, Action::PageUp);
    act(app, Action::PageUp);
    act(app, Action::PageUp);
    let target = index(app, id);
    for _ in 0..app.session.data.journeys.len() {
        if app.sequences.journey == Some(target) {
            return;
        }
        act(app, Action::Down);
    }
    panic!("{id} not reached");
}

#[test]
fn seven_shows_every_journey_as_a_sequence_grouped_by_cluster() {
    let mut app = bundled();
    act(&mut app, Action::ShowSequences);
    assert_eq!(app.screen, Screen::Sequences);
    let v = app.sequence_view().expect("the analysis ran");
    let n = app.session.data.journeys.len();
    assert_eq!(v.order.len(), n);
    assert_eq!(v.k, 4);
    assert_eq!(v.base.measure, Measure::OmConstant);
    assert_eq!(v.base.by, By::Kind);
    // Rows come by cluster; each cluster opens with its medoid.
    let clusters: Vec<usize> = v
        .order
        .iter()
        .map(|&p| v.clustering.assignment[p])
        .collect();
    assert!(clusters.windows(2).all(|w| w[0] <= w[1]), "{clusters:?}");
    for c in 0..v.k {
        let first = clusters.iter().position(|&x| x == c).unwrap();
        assert_eq!(v.order[first], v.clustering.medoids[c]);
    }
    // The quality table has a row per k from 2 to 8.
    let ks: Vec<usize> = v.base.tried.iter().map(|t| t.clustering.k).collect();
    assert_eq!(ks, (2..=8).collect::<Vec<_>>());
}

#[test]
fn enter_opens_the_step_under_the_cursor_and_esc_comes_back() {
    let mut app = bundled();
    act(&mut app, Action::ShowSequences);
    cursor_to(&mut app, "g06");
    acts(
        &mut app,
        &[Action::StepNext, Action::StepNext, Action::StepNext],
    );
    assert_eq!(app.sequences.step, 3);
    act(&mut app, Action::Open);
    assert_eq!(app.screen, Screen::Journey);
    assert_eq!(app.journey.journey, index(&app, "g06"));
    assert_eq!(app.journey.step, 3);
    act(&mut app, Action::Close);
    assert_eq!(app.screen, Screen::Sequences);
    // The cursor is where it was.
    assert_eq!(app.sequences.journey, Some(index(&app, "g06")));
    assert_eq!(app.sequences.step, 3);
    // The step cannot go past the journey's last.
    let len = app.session.data.journeys[index(&app, "g06")].steps.len();
    act(&mut app, Action::StepLast);
    act(&mut app, Action::StepNext);
    assert_eq!(app.sequences.step, len - 1);
}

#[test]
fn k_distance_and_channel_are_asked_for_and_the_matrix_is_kept_when_only_k_changes() {
    let mut app = bundled();
    act(&mut app, Action::ShowSequences);
    let base = Arc::clone(&app.sequence_view().unwrap().base);
    act(&mut app, Action::MoreClusters);
    let v = app.sequence_view().unwrap();
    assert_eq!(v.k, 5);
    assert!(Arc::ptr_eq(&base, &v.base), "k alone reuses the matrix");
    // k stays within the range tried.
    for _ in 0..10 {
        act(&mut app, Action::MoreClusters);
    }
    assert_eq!(app.sequence_view().unwrap().k, 8);
    for _ in 0..10 {
        act(&mut app, Action::FewerClusters);
    }
    assert_eq!(app.sequence_view().unwrap().k, 2);
    act(&mut app, Action::CycleDistance);
    let v = app.sequence_view().unwrap();
    assert_eq!(v.base.measure, Measure::OmTrate);
    assert!(!Arc::ptr_eq(&base, &v.base));
    act(&mut app, Action::CycleChannel);
    let v = app.sequence_view().unwrap();
    assert_eq!(v.base.by, By::Codes);
    assert!(v.base.seqs.alphabet.contains(&"-".to_string()), "no codes");
    // Tab turns the side pane, and comes round.
    for p in [
        SeqPane::Themes,
        SeqPane::States,
        SeqPane::Rates,
        SeqPane::Entropy,
        SeqPane::Clusters,
    ] {
        act(&mut app, Action::FocusNext);
        assert_eq!(app.sequences.pane, p);
    }
}

#[test]
fn marked_themes_are_what_the_screen_analyses() {
    let mut app = bundled();
    for id in ["g01", "g05", "g09", "g14"] {
        let pos = app
            .session
            .visible
            .iter()
            .position(|&i| app.session.data.journeys[i].id == id)
            .unwrap();
        act(&mut app, Action::SelectRow(pos));
        act(&mut app, Action::MarkTheme);
    }
    act(&mut app, Action::ShowSequences);
    let v = app.sequence_view().unwrap();
    let ids: Vec<&str> = v.seqs().ids.iter().map(String::as_str).collect();
    assert_eq!(ids.len(), 18, "{ids:?}");
    assert!(ids.iter().all(|id| id.starts_with('g')), "{ids:?}");
    // The four themes against four clusters.
    assert_eq!(v.themes.rows.len(), 4);
    assert_eq!(v.themes.cols.len(), 4);
}

#[test]
fn two_journeys_align_and_a_pair_opens_both_steps_evidence() {
    let mut app = bundled();
    act(&mut app, Action::ShowSequences);
    cursor_to(&mut app, "g01");
    act(&mut app, Action::Align);
    assert_eq!(app.sequences.first, Some(index(&app, "g01")));
    cursor_to(&mut app, "g06");
    act(&mut app, Action::Align);
    assert_eq!(app.sequences.first, None);
    let a = app.sequences.align.clone().expect("aligned");
    assert_eq!(
        (a.alignment.left.as_str(), a.alignment.right.as_str()),
        ("g01", "g06")
    );
    // The alignment's cost is the distance between the two.
    let v = app.sequence_view().unwrap();
    let (i, j) = (
        v.seqs().position("g01").unwrap(),
        v.seqs().position("g06").unwrap(),
    );
    let d = distance::between(v.seqs(), &v.base.costs, i, j);
    assert_eq!(a.alignment.total, d);
    assert!(a.alignment.columns.iter().any(|c| c.op != Op::Match));
    // Right moves along the pairs (not the plot's cursor), Enter opens the evidence.
    let step_before = app.sequences.step;
    act(&mut app, Action::StepNext);
    act(&mut app, Action::StepNext);
    assert_eq!(app.sequences.align.as_ref().unwrap().column, 2);
    assert_eq!(app.sequences.step, step_before);
    act(&mut app, Action::Open);
    assert!(app.sequences.align.as_ref().unwrap().evidence);
    let text = screen_text(&app, 100, 30);
    let col = &app.sequences.align.as_ref().unwrap().alignment.columns[2];
    for (side, id) in [(&col.left, "g01"), (&col.right, "g06")] {
        if let Some(s) = side {
            let j = &app.session.data.journeys[index(&app, id)];
            let step = j.steps.iter().find(|x| x.id == s.step).unwrap();
            let quote = &step.evidence[0].quote;
            let start: String = quote.chars().take(12).collect();
            assert!(text.contains(&start), "{start} not in\n{text}");
        }
    }
    // Esc closes the evidence, then the alignment.
    act(&mut app, Action::Close);
    assert!(!app.sequences.align.as_ref().unwrap().evidence);
    act(&mut app, Action::Close);
    assert!(app.sequences.align.is_none());
    assert_eq!(app.screen, Screen::Sequences);
    // Another distance aligns the same two again, under it.
    cursor_to(&mut app, "g01");
    act(&mut app, Action::Align);
    cursor_to(&mut app, "g06");
    act(&mut app, Action::Align);
    act(&mut app, Action::CycleDistance);
    let a = app.sequences.align.as_ref().unwrap();
    let v = app.sequence_view().unwrap();
    assert_eq!(v.base.measure, Measure::OmTrate);
    let d = distance::between(v.seqs(), &v.base.costs, i, j);
    assert!((a.alignment.total - d).abs() < 1e-9);
}

fn screen_text(app: &App, w: u16, h: u16) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        terreng::ui::draw(f, app);
    })
    .unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        for x in 0..w {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// The nearest journeys to `of` among all, under a measure, as the library computes them.
fn nearest(app: &App, of: &str, measure: Measure) -> Vec<(String, f64)> {
    let journeys: Vec<&Journey> = app.session.data.journeys.iter().collect();
    let seqs = Sequences::build(&journeys, By::Kind, CodeClass::Obstacles);
    let costs = distance::costs(&seqs, &measure.options()).unwrap();
    distance::nearest(&seqs, &costs, seqs.position(of).unwrap())
        .into_iter()
        .take(5)
        .map(|(i, d)| (seqs.ids[i].clone(), (d * 1000.0).round() / 1000.0))
        .collect()
}

#[test]
fn the_compare_screens_nearest_use_the_distance_chosen_on_the_sequences_screen() {
    let mut app = bundled();
    for id in ["g01", "g06"] {
        let pos = app
            .session
            .visible
            .iter()
            .position(|&i| app.session.data.journeys[i].id == id)
            .unwrap();
        act(&mut app, Action::SelectRow(pos));
        act(&mut app, Action::Mark);
    }
    act(&mut app, Action::ShowCompare);
    let v = app.session.analysis.compare.as_ref().unwrap();
    assert_eq!(v.nearest_by, "OM, constant costs, by kind");
    let constant = nearest(&app, "g01", Measure::OmConstant);
    assert_eq!(v.journeys[0].nearest, constant);
    // g02, g03 and g04 share g01's theme and nearly all its kinds: nearest under OM.
    let near: Vec<&str> = constant.iter().take(3).map(|(id, _)| id.as_str()).collect();
    assert!(
        ["g02", "g03", "g04"].iter().all(|id| near.contains(id)),
        "{near:?}"
    );
    assert_eq!(constant[0], ("g04".to_string(), 0.0), "g04 has g01's kinds");
    // Another distance on the sequences screen; the compare screen follows it.
    act(&mut app, Action::ShowSequences);
    act(&mut app, Action::CycleDistance);
    act(&mut app, Action::ShowCompare);
    let v = app.session.analysis.compare.as_ref().unwrap();
    assert_eq!(v.nearest_by, "OM, transition-rate costs, by kind");
    let trate = nearest(&app, "g01", Measure::OmTrate);
    assert_eq!(v.journeys[0].nearest, trate);
    assert_ne!(
        trate, constant,
        "the two distances differ on these journeys"
    );
}

#[test]
fn the_screen_asks_for_its_analysis_off_the_input_thread_and_says_how_far_it_is() {
    let mut app = bundled();
    let effects = update(&mut app, Action::ShowSequences);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Analyse(_))),
        "{effects:?}"
    );
    let what = app.session.analysis.computing().expect("computing");
    assert!(what.starts_with("the sequences of 29 journeys"), "{what}");
    // Until the result is in, the screen says what it is computing.
    let text = screen_text(&app, 80, 24);
    assert!(text.contains("Computing: the sequences of 29"), "{text}");
    // A key meanwhile changes the request: the old one is superseded, a new one asked for.
    let effects = update(&mut app, Action::CycleDistance);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Analyse(_))),
        "{effects:?}"
    );
    let what = app.session.analysis.computing().unwrap();
    assert!(what.contains("transition-rate"), "{what}");
}
