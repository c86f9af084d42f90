//! `terreng agree`: how far analysts who coded the same steps agree, per code and overall, and
//! the steps where they disagree most. The numbers come from [`crate::analysis::agree`], the
//! same computation as the agreement screen's.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::analysis::agree::{self, Agreement, show, show_percent};
use crate::export::Pick;
use crate::model::Terrain;
use crate::text::inert;

/// The arguments of `terreng agree`.
#[derive(Debug, Clone, clap::Args)]
pub struct AgreeArgs {
    /// The journeys, and the analysts to compare (default: every analyst with notes on the
    /// journeys chosen).
    #[command(flatten)]
    pub pick: Pick,
    /// How many of the steps where the analysts disagree most to name.
    #[arg(long, default_value_t = 10)]
    pub worst: usize,
    /// Print JSON instead of text tables.
    #[arg(long)]
    pub json: bool,
}

/// Runs `terreng agree`: 0 when the figures are printed (undefined ones included), 2 when an
/// argument names nothing known.
pub fn run(
    args: &AgreeArgs,
    data_dir: Option<PathBuf>,
    catalogue: Option<&Path>,
    annotations: Option<PathBuf>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<i32> {
    // The agreement reads the steps' ids and the notes' codes: the steps' words and evidence and
    // the notes' text are dropped as each file is read, so that the study's text is never held.
    let data = super::load_codes(data_dir, catalogue, err)?;
    let notes = super::read_codes(&super::notes_root(&data, annotations), err)?;
    let selection = args.pick.selection();
    let scope = match selection.resolve(&data, &notes) {
        Ok(scope) => scope,
        Err(e) => {
            writeln!(
                err,
                "terreng agree: {}",
                crate::text::inert(&format!("{e:#}"))
            )?;
            return Ok(2);
        }
    };
    let chosen: Vec<usize> = scope
        .journeys
        .iter()
        .filter_map(|j| data.journeys.iter().position(|x| x.id == j.id))
        .collect();
    let analysts = if args.pick.analysts.is_empty() {
        scope.analysts.clone()
    } else {
        // As asked, without repeats, in the order given.
        let mut v: Vec<String> = Vec::new();
        for a in &args.pick.analysts {
            if !v.contains(a) {
                v.push(a.clone());
            }
        }
        v
    };
    let all = notes.all();
    let steps = agree::step_codings(&data.journeys, &chosen, &all, &analysts, &data.terrain);
    // What the agreement needs of the notes is in `steps` now: they go before it is computed.
    drop(all);
    drop(scope);
    drop(notes);
    let order = crate::analysis::view::catalogue_order(&data.terrain);
    let a = agree::agreement(&analysts, &steps, &order);
    if args.json {
        writeln!(
            out,
            "{}",
            crate::text::json_controls(serde_json::to_string_pretty(&a)?)
        )?;
    } else {
        write!(
            out,
            "{}",
            render(&a, &data.terrain, chosen.len(), args.worst)
        )?;
    }
    Ok(0)
}

/// The agreement as text tables: per code and overall, Cohen's κ for each pair when there are
/// more than two analysts, and the steps where the analysts disagree most.
pub fn render(a: &Agreement, terrain: &Terrain, journeys: usize, worst: usize) -> String {
    let mut out = String::new();
    let names = inert(&a.analysts.join(", ")).into_owned();
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let on = count(journeys, "journey", "journeys");
    if names.is_empty() {
        let _ = writeln!(out, "No analysts' notes yet on the {on}.");
    } else {
        let _ = writeln!(
            out,
            "Agreement of {names} on {on}: {} coded by two or more, {} differ{}",
            count(a.steps, "step", "steps"),
            a.disagreements.len(),
            if a.disagreements.len() == 1 { "s" } else { "" }
        );
    }
    if a.analysts.len() < 2 {
        let _ = writeln!(
            out,
            "\nAgreement needs two analysts' notes on the same steps; name them with --analyst."
        );
        return out;
    }
    if a.overall.units == 0 {
        let _ = writeln!(
            out,
            "\nNo step is coded by two of them yet: nothing to compare."
        );
        return out;
    }
    let two = a.analysts.len() == 2;
    let width = a
        .per_code
        .iter()
        .map(|c| c.code.chars().count())
        .max()
        .unwrap_or(4)
        .max("overall*".len());
    let used_w: Vec<usize> = a
        .analysts
        .iter()
        .map(|n| n.chars().count().max(3))
        .collect();
    let kappa_head = if two { "Cohen κ" } else { "Fleiss κ" };
    let _ = write!(out, "\n{:<width$}", "code");
    for (n, w) in a.analysts.iter().zip(&used_w) {
        let _ = write!(out, "  {n:>w$}");
    }
    let _ = writeln!(
        out,
        "  {:>5}  {:>7}  {kappa_head:>8}  {:>7}",
        "steps", "agree", "α"
    );
    let row = |out: &mut String, label: &str, used: Option<&[usize]>, f: &agree::Figures| {
        let _ = write!(out, "{label:<width$}");
        for (i, w) in used_w.iter().enumerate() {
            let cell = used.map_or(String::new(), |u| u[i].to_string());
            let _ = write!(out, "  {cell:>w$}");
        }
        let kappa = if two {
            f.pairs.first().and_then(|p| p.kappa)
        } else {
            f.fleiss
        };
        let _ = writeln!(
            out,
            "  {:>5}  {:>7}  {:>8}  {:>7}",
            f.units,
            show_percent(f.percent),
            show(kappa),
            show(f.alpha)
        );
    };
    for c in &a.per_code {
        row(&mut out, &inert(&c.code), Some(&c.used), &c.figures);
    }
    row(&mut out, "overall*", None, &a.overall);
    let _ = writeln!(
        out,
        "\nThe columns under each analyst: on how many of the steps they used the code. \
         * overall is {}. — : undefined (no variation: everyone gave every step the same value).",
        a.overall_is
    );
    if !two {
        let _ = writeln!(
            out,
            "Fleiss' κ rests on the {} all of them coded; % agree and α on every step two or more coded.",
            count(a.overall.fleiss_units, "step", "steps")
        );
        let _ = writeln!(out, "\nCohen's κ for each pair (steps both coded)");
        let heads: Vec<String> = a
            .overall
            .pairs
            .iter()
            .map(|p| format!("{}–{}", p.a, p.b))
            .collect();
        let _ = write!(out, "{:<width$}", "code");
        for h in &heads {
            let _ = write!(out, "  {h:>9}");
        }
        let _ = writeln!(out);
        let pair_row = |out: &mut String, label: &str, f: &agree::Figures| {
            let _ = write!(out, "{label:<width$}");
            for (p, h) in f.pairs.iter().zip(&heads) {
                let w = h.chars().count().max(9);
                let _ = write!(out, "  {:>w$}", show(p.kappa));
            }
            let _ = writeln!(out);
        };
        for c in &a.per_code {
            pair_row(&mut out, &inert(&c.code), &c.figures);
        }
        pair_row(&mut out, "overall*", &a.overall);
        let _ = write!(out, "{:<width$}", "steps");
        for (p, h) in a.overall.pairs.iter().zip(&heads) {
            let w = h.chars().count().max(9);
            let _ = write!(out, "  {:>w$}", p.units);
        }
        let _ = writeln!(out);
    }
    if a.disagreements.is_empty() {
        let _ = writeln!(out, "\nThey agree on every step.");
        return out;
    }
    let _ = writeln!(
        out,
        "\nWhere they disagree most ({} of {}):",
        worst.min(a.disagreements.len()),
        a.disagreements.len()
    );
    for d in a.disagreements.iter().take(worst) {
        let _ = writeln!(
            out,
            "  {} {}: {} code(s) differ ({})",
            inert(&d.step.journey),
            inert(&d.step.step),
            d.differing.len(),
            d.differing
                .iter()
                .map(|c| terrain
                    .feature(c)
                    .map_or_else(|| inert(c).into_owned(), |(_, f)| format!("{c}, {}", f.en)))
                .collect::<Vec<_>>()
                .join("; ")
        );
        for (name, codes) in a.analysts.iter().zip(&d.step.codes) {
            let Some(codes) = codes else { continue };
            let list: Vec<String> = codes.iter().map(|c| inert(c).into_owned()).collect();
            let _ = writeln!(
                out,
                "      {}: {}",
                inert(name),
                if list.is_empty() {
                    "(no code)".to_string()
                } else {
                    list.join(", ")
                }
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_reads_well_with_no_analysts_and_counts_in_words() {
        let terrain = crate::store::bundled::terrain();
        let none = agree::agreement(&[], &Default::default(), &[]);
        let text = render(&none, &terrain, 28, 10);
        assert!(
            text.starts_with("No analysts' notes yet on the 28 journeys."),
            "{text}"
        );
        assert!(!text.contains("nobody") && !text.contains("(s)"), "{text}");
        let two = agree::agreement(&["hh".into(), "kv".into()], &Default::default(), &[]);
        let text = render(&two, &terrain, 1, 10);
        assert!(
            text.starts_with(
                "Agreement of hh, kv on 1 journey: 0 steps coded by two or more, 0 differ"
            ),
            "{text}"
        );
    }
}
