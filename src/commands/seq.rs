//! `terreng seq`: sequence analysis on the command line — the distance matrix, typologies
//! with their quality and cross-tables, frequent and discriminating patterns with the steps
//! behind them, the alignment of two journeys with their quotes, and the sequence plots as
//! SVG. The numbers come from [`crate::analysis::sequence`], the code the sequences screen
//! uses. It prints and exits; it never writes journey or annotation files.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use unicode_width::UnicodeWidthStr;

use crate::analysis::sequence::align::{self, Op};
use crate::analysis::sequence::cluster::{self, Algorithm, CrossTable, Typology};
use crate::analysis::sequence::distance::{self, Matrix, Method, Norm, Options, Sm};
use crate::analysis::sequence::{By, CodeClass, Sequences};
use crate::analysis::sequence::{patterns, plots};
use crate::export::{Selection, seqplot};
use crate::model::Journey;
use crate::store::Dataset;
use crate::store::annotations::NoteStore;
use crate::text::inert;

/// How states and distances are made (shared by every `seq` subcommand).
#[derive(Debug, Clone, clap::Args)]
pub struct DistArgs {
    /// What a step's state is: its kind, its codes, or both as two channels.
    #[arg(long, value_enum, default_value_t = By::Kind)]
    pub by: By,
    /// Which codes a codes channel reads.
    #[arg(long, value_enum, default_value_t = CodeClass::Obstacles)]
    pub codes: CodeClass,
    /// Optimal matching, longest common subsequence, Hamming or dynamic Hamming.
    #[arg(long, value_enum, default_value_t = Method::Om)]
    pub method: Method,
    /// Substitution costs: a constant, from transition rates, or from the kinds' features.
    #[arg(long, value_enum, default_value_t = Sm::Constant)]
    pub sm: Sm,
    /// The constant substitution cost (default 2; 1 for Hamming).
    #[arg(long, value_name = "C")]
    pub sub_cost: Option<f64>,
    /// The insertion/deletion cost, or auto (half the largest substitution cost).
    #[arg(long, value_name = "N|auto", default_value = "auto")]
    pub indel: String,
    /// Normalisation: none, or auto (maxlength for OM, HAM and DHD; gmean for LCS).
    #[arg(long, value_enum, default_value_t = Norm::None)]
    pub norm: Norm,
    /// Only this journey (repeat for more; default: all).
    #[arg(long = "journey", value_name = "ID")]
    pub journeys: Vec<String>,
    /// Only the journeys of this theme (repeat for more).
    #[arg(long = "theme", value_name = "ID")]
    pub themes: Vec<String>,
}

/// The `seq` subcommands.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum SeqCommand {
    /// The distance matrix, journey ids as row and column names.
    Dist {
        #[command(flatten)]
        dist: DistArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Print CSV.
        #[arg(long, conflicts_with = "json")]
        csv: bool,
    },
    /// Clusters of journeys: the quality of each k, and each cluster's journeys and medoid.
    Types {
        #[command(flatten)]
        dist: DistArgs,
        /// The number of clusters, or a range to try (`2..8`, the default); the best by ASW
        /// is shown.
        #[arg(long, default_value = "2..8")]
        k: String,
        /// PAM (k-medoids) or Ward.
        #[arg(long, value_enum, default_value_t = Algorithm::Pam)]
        algorithm: Algorithm,
        #[arg(long)]
        json: bool,
    },
    /// Frequent subsequences, and those that set groups apart (χ², Bonferroni).
    Patterns {
        #[command(flatten)]
        dist: DistArgs,
        /// The groups to compare.
        #[arg(long = "group", value_enum, default_value_t = Group::Theme)]
        group: Group,
        /// The least share of journeys a pattern must occur in.
        #[arg(long, default_value_t = 0.25)]
        min_support: f64,
        /// The longest pattern.
        #[arg(long, default_value_t = 4)]
        max_length: usize,
        /// The number of clusters, for `--group cluster`.
        #[arg(long, default_value_t = 4)]
        k: usize,
        /// How many patterns to show, with their steps.
        #[arg(long, default_value_t = 10)]
        top: usize,
        #[arg(long)]
        json: bool,
    },
    /// A sequence plot as SVG: the index plot (a row per journey, sorted by cluster and
    /// distance to the medoid) or the state distribution (per theme or cluster).
    Plot {
        #[arg(value_enum)]
        plot: Plot,
        /// The SVG file to write.
        #[arg(short, long, value_name = "PATH")]
        output: PathBuf,
        #[command(flatten)]
        dist: DistArgs,
        /// Index plot: group rows by cluster (the default) or sort them all by distance to
        /// the medoid of the whole; distribution: one panel per theme or cluster.
        #[arg(long = "sort", value_enum, default_value_t = Sort::Cluster)]
        sort: Sort,
        /// The number of clusters, or a range to choose from by ASW.
        #[arg(long, default_value = "2..8")]
        k: String,
        #[arg(long, value_enum, default_value_t = Algorithm::Pam)]
        algorithm: Algorithm,
    },
    /// The optimal alignment of two journeys, with the quotes of the aligned steps.
    Align {
        /// Two journey ids.
        #[arg(num_args = 2, required = true)]
        ids: Vec<String>,
        #[command(flatten)]
        dist: DistArgs,
        #[arg(long)]
        json: bool,
    },
}

/// Which sequence plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Plot {
    /// A row per journey, a cell per step.
    Index,
    /// The share of each state at each position.
    Distribution,
}

/// How the plots group journeys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Sort {
    /// By cluster, then distance to the cluster's medoid.
    Cluster,
    /// By distance to the medoid of all the journeys (index plot); by theme (distribution).
    Theme,
}

/// What patterns are compared across.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Group {
    Theme,
    Outcome,
    Cluster,
}

/// How many journeys' occurrences of a pattern the text output quotes.
const SHOWN_OCCURRENCES: usize = 2;

const A_MOMENT: Duration = Duration::from_millis(300);

/// Runs `terreng seq …`: 0 on success, 2 for a bad argument or unknown id.
pub fn run(
    command: &SeqCommand,
    data_dir: Option<PathBuf>,
    catalogue: Option<&Path>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<i32> {
    let data = super::load_data(data_dir, catalogue, err)?;
    match run_on(command, &data, out) {
        Ok(()) => Ok(0),
        Err(e) => {
            writeln!(err, "terreng seq: {e:#}")?;
            Ok(2)
        }
    }
}

fn dist_args(c: &SeqCommand) -> &DistArgs {
    match c {
        SeqCommand::Dist { dist, .. }
        | SeqCommand::Types { dist, .. }
        | SeqCommand::Patterns { dist, .. }
        | SeqCommand::Align { dist, .. }
        | SeqCommand::Plot { dist, .. } => dist,
    }
}

/// The journeys chosen, in report order (theme, then the data's order).
fn chosen<'a>(data: &'a Dataset, a: &DistArgs) -> anyhow::Result<Vec<&'a Journey>> {
    let notes = NoteStore::empty();
    let selection = Selection {
        journeys: a.journeys.clone(),
        themes: a.themes.clone(),
        analysts: vec![],
        blind: None,
        excel: false,
        title: None,
    };
    let ids: Vec<String> = selection
        .resolve(data, &notes)?
        .journeys
        .iter()
        .map(|j| j.id.clone())
        .collect();
    Ok(ids.iter().filter_map(|id| data.journey(id)).collect())
}

impl DistArgs {
    pub fn options(&self) -> anyhow::Result<Options> {
        Ok(Options {
            method: self.method,
            sm: self.sm,
            sub_cost: self.sub_cost,
            indel: distance::parse_indel(&self.indel)?,
            norm: self.norm,
        })
    }
}

/// The distance matrix, with a progress bar on a terminal when it takes a moment.
pub fn matrix_with_progress(seqs: &Sequences, opts: &Options) -> anyhow::Result<Matrix> {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template("distances {wide_bar} {pos}/{len} pairs")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let on_terminal = std::io::stderr().is_terminal();
    let started = Instant::now();
    let shown = std::sync::atomic::AtomicBool::new(false);
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        if on_terminal
            && done < total
            && started.elapsed() > A_MOMENT
            && !shown.swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    };
    let m = distance::matrix(seqs, opts, &progress);
    bar.finish_and_clear();
    m
}

/// Parses `4` or `2..8`.
fn parse_k(s: &str) -> anyhow::Result<std::ops::RangeInclusive<usize>> {
    let bad =
        || anyhow::anyhow!("--k takes a number of clusters or a range such as 2..8, not '{s}'");
    let (lo, hi) = match s.split_once("..") {
        Some((a, b)) => (
            a.trim().parse().map_err(|_| bad())?,
            b.trim_start_matches('=')
                .trim()
                .parse()
                .map_err(|_| bad())?,
        ),
        None => {
            let k = s.trim().parse().map_err(|_| bad())?;
            (k, k)
        }
    };
    if lo < 1 || hi < lo {
        return Err(bad());
    }
    Ok(lo..=hi)
}

fn run_on(command: &SeqCommand, data: &Dataset, out: &mut impl Write) -> anyhow::Result<()> {
    let a = dist_args(command);
    let opts = a.options()?;
    let journeys = chosen(data, a)?;
    let seqs = Sequences::build(&journeys, a.by, a.codes);
    match command {
        SeqCommand::Dist { json, csv, .. } => {
            let m = matrix_with_progress(&seqs, &opts)?;
            let text = if *json {
                dist_json(&seqs, &m, &opts)?
            } else if *csv {
                dist_csv(&seqs, &m)
            } else {
                dist_text(&seqs, &m)
            };
            out.write_all(text.as_bytes())?;
        }
        SeqCommand::Types {
            k, algorithm, json, ..
        } => {
            let ks = parse_k(k)?;
            if seqs.len() < 2 {
                anyhow::bail!("a typology needs two journeys or more");
            }
            let m = matrix_with_progress(&seqs, &opts)?;
            let ks = *ks.start()..=(*ks.end()).min(seqs.len());
            let t = cluster::typology(&m, ks, *algorithm, &seqs.themes, &seqs.outcomes);
            let text = if *json {
                types_json(&seqs, &t, &opts)?
            } else {
                types_text(&seqs, &m, &t)
            };
            out.write_all(text.as_bytes())?;
        }
        SeqCommand::Patterns {
            group,
            min_support,
            max_length,
            k,
            top,
            json,
            ..
        } => {
            if !(0.0..=1.0).contains(min_support) {
                anyhow::bail!("--min-support is a share of journeys, from 0 to 1");
            }
            let groups: Vec<String> = match group {
                Group::Theme => seqs.themes.clone(),
                Group::Outcome => seqs.outcomes.clone(),
                Group::Cluster => {
                    let m = matrix_with_progress(&seqs, &opts)?;
                    let c = cluster::pam(&m, *k);
                    c.assignment
                        .iter()
                        .map(|c| format!("cluster {}", c + 1))
                        .collect()
                }
            };
            let frequent = patterns::frequent(&seqs, *min_support, *max_length);
            let tested = patterns::discriminating(&seqs, &frequent, &groups);
            let text = if *json {
                let v = serde_json::json!({
                    "journeys": seqs.ids,
                    "min_support": min_support,
                    "frequent": frequent,
                    "discriminating": tested,
                });
                format!("{}\n", serde_json::to_string_pretty(&v)?)
            } else {
                patterns_text(data, &seqs, &frequent, &tested, *top)
            };
            out.write_all(text.as_bytes())?;
        }
        SeqCommand::Plot {
            plot,
            output,
            sort,
            k,
            algorithm,
            ..
        } => {
            if seqs.is_empty() {
                anyhow::bail!("no journeys to plot");
            }
            let m = matrix_with_progress(&seqs, &opts)?;
            let ks = parse_k(k)?;
            let ks = *ks.start()..=(*ks.end()).min(seqs.len());
            let by_cluster = *sort == Sort::Cluster && seqs.len() >= 2;
            let t = by_cluster
                .then(|| cluster::typology(&m, ks, *algorithm, &seqs.themes, &seqs.outcomes));
            let what = match a.by {
                By::Kind => "step kinds".to_string(),
                By::Codes => format!("{:?}", a.codes).to_lowercase(),
                By::Both => format!("step kinds and {:?}", a.codes).to_lowercase(),
            };
            let svg = match plot {
                Plot::Index => {
                    let (order, c) = match &t {
                        Some(t) => (
                            plots::index_order(&seqs, &m, &t.clustering),
                            Some(&t.clustering),
                        ),
                        None => {
                            let one = cluster::pam(&m, 1);
                            (plots::index_order(&seqs, &m, &one), None)
                        }
                    };
                    seqplot::index_plot(&seqs, &order, c, &format!("Sequences of {what}"))
                }
                Plot::Distribution => {
                    let groups: Vec<(String, Vec<usize>)> = match &t {
                        Some(t) => (0..t.clustering.k)
                            .map(|c| {
                                (
                                    format!("cluster {}", c + 1),
                                    (0..seqs.len())
                                        .filter(|&i| t.clustering.assignment[i] == c)
                                        .collect(),
                                )
                            })
                            .collect(),
                        None => {
                            let mut themes: Vec<String> = Vec::new();
                            for th in &seqs.themes {
                                if !themes.contains(th) {
                                    themes.push(th.clone());
                                }
                            }
                            themes
                                .into_iter()
                                .map(|th| {
                                    let members =
                                        (0..seqs.len()).filter(|&i| seqs.themes[i] == th).collect();
                                    (th, members)
                                })
                                .collect()
                        }
                    };
                    seqplot::distribution_plot(
                        &seqs,
                        &groups,
                        &format!("State distribution of {what}"),
                    )
                }
            };
            crate::export::write_file(output, svg.as_bytes())?;
            writeln!(out, "wrote {}: {} journeys", output.display(), seqs.len())?;
        }
        SeqCommand::Align { ids, json, .. } => {
            let find = |id: &str| -> anyhow::Result<usize> {
                seqs.position(id).ok_or_else(|| {
                    anyhow::anyhow!(
                        "unknown journey '{id}' among those chosen{}",
                        crate::store::suggest::did_you_mean(
                            id,
                            seqs.ids.iter().map(String::as_str)
                        )
                    )
                })
            };
            let (i, j) = (find(&ids[0])?, find(&ids[1])?);
            let costs = distance::costs(&seqs, &opts)?;
            let al = align::align(&seqs, &costs, i, j);
            let d = distance::between(&seqs, &costs, i, j);
            let text = if *json {
                let v = serde_json::json!({ "alignment": al, "distance": d, "options": opts });
                format!("{}\n", serde_json::to_string_pretty(&v)?)
            } else {
                align_text(data, &al, d)
            };
            out.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}

/// A distance as printed: four decimals, trailing zeros dropped.
fn num(v: f32) -> String {
    crate::export::num(v as f64)
}

fn pad(s: &str, w: usize) -> String {
    let have = UnicodeWidthStr::width(s);
    format!("{}{}", " ".repeat(w.saturating_sub(have)), s)
}

fn pad_right(s: &str, w: usize) -> String {
    let have = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(w.saturating_sub(have)))
}

fn dist_text(seqs: &Sequences, m: &Matrix) -> String {
    let ids: Vec<String> = seqs.ids.iter().map(|i| inert(i).into_owned()).collect();
    let first = ids.iter().map(|i| i.width()).max().unwrap_or(0);
    let cells: Vec<Vec<String>> = (0..m.n)
        .map(|i| (0..m.n).map(|j| num(m.get(i, j))).collect())
        .collect();
    let w = cells
        .iter()
        .flatten()
        .chain(ids.iter())
        .map(|c| c.width())
        .max()
        .unwrap_or(1);
    let mut s = String::new();
    let _ = write!(s, "{}", " ".repeat(first));
    for id in &ids {
        let _ = write!(s, " {}", pad(id, w));
    }
    s.push('\n');
    for (i, row) in cells.iter().enumerate() {
        let _ = write!(s, "{}", pad_right(&ids[i], first));
        for c in row {
            let _ = write!(s, " {}", pad(c, w));
        }
        s.push('\n');
    }
    s
}

fn dist_csv(seqs: &Sequences, m: &Matrix) -> String {
    let mut w = csv::Writer::from_writer(vec![]);
    let mut header = vec![String::new()];
    header.extend(seqs.ids.iter().cloned());
    let _ = w.write_record(&header);
    for i in 0..m.n {
        let mut row = vec![seqs.ids[i].clone()];
        row.extend((0..m.n).map(|j| num(m.get(i, j))));
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn dist_json(seqs: &Sequences, m: &Matrix, opts: &Options) -> anyhow::Result<String> {
    let rows: Vec<Vec<f32>> = (0..m.n)
        .map(|i| (0..m.n).map(|j| m.get(i, j)).collect())
        .collect();
    let v = serde_json::json!({ "ids": seqs.ids, "options": opts, "alphabet": seqs.alphabet, "matrix": rows });
    Ok(format!("{}\n", serde_json::to_string_pretty(&v)?))
}

fn types_json(seqs: &Sequences, t: &Typology, opts: &Options) -> anyhow::Result<String> {
    let clusters: Vec<serde_json::Value> = (0..t.clustering.k)
        .map(|c| {
            let members: Vec<&str> = (0..seqs.len())
                .filter(|&i| t.clustering.assignment[i] == c)
                .map(|i| seqs.ids[i].as_str())
                .collect();
            serde_json::json!({
                "cluster": c + 1,
                "medoid": seqs.ids[t.clustering.medoids[c]],
                "journeys": members,
            })
        })
        .collect();
    let v = serde_json::json!({
        "options": opts,
        "algorithm": t.algorithm,
        "quality": t.table.iter().map(|(k, q)| serde_json::json!({"k": k, "asw": q.asw, "pbc": q.pbc, "hg": q.hg, "r2": q.r2})).collect::<Vec<_>>(),
        "k": t.clustering.k,
        "clusters": clusters,
        "themes": t.themes,
        "outcomes": t.outcomes,
    });
    Ok(format!("{}\n", serde_json::to_string_pretty(&v)?))
}

fn cross_text(title: &str, t: &CrossTable) -> String {
    let cols: Vec<String> = t.cols.iter().map(|c| inert(c).into_owned()).collect();
    let w: Vec<usize> = cols.iter().map(|c| c.width().max(3)).collect();
    let mut s = format!("\nclusters × {title}\n");
    let _ = write!(s, "{:<9}", "cluster");
    for (c, w) in cols.iter().zip(&w) {
        let _ = write!(s, " {}", pad(c, *w));
    }
    s.push('\n');
    for (r, row) in t.rows.iter().zip(&t.counts) {
        let _ = write!(s, "{r:<9}");
        for (n, w) in row.iter().zip(&w) {
            let _ = write!(s, " {}", pad(&n.to_string(), *w));
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "Cramér's V {:.3}, adjusted Rand index {:.3}",
        t.cramers_v, t.ari
    );
    s
}

fn types_text(seqs: &Sequences, m: &Matrix, t: &Typology) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} journeys, {} clustering; quality (WeightedCluster's definitions):",
        seqs.len(),
        match t.algorithm {
            Algorithm::Pam => "PAM",
            Algorithm::Ward => "Ward",
        }
    );
    let _ = writeln!(
        s,
        "{:>3} {:>7} {:>7} {:>7} {:>7}",
        "k", "ASW", "PBC", "HG", "R²"
    );
    for (k, q) in &t.table {
        let mark = if *k == t.clustering.k { " ◀" } else { "" };
        let _ = writeln!(
            s,
            "{k:>3} {:>7.3} {:>7.3} {:>7.3} {:>7.3}{mark}",
            q.asw, q.pbc, q.hg, q.r2
        );
    }
    let _ = writeln!(s, "\n{} clusters:", t.clustering.k);
    for c in 0..t.clustering.k {
        let medoid = t.clustering.medoids[c];
        let mut members: Vec<usize> = (0..seqs.len())
            .filter(|&i| t.clustering.assignment[i] == c)
            .collect();
        members.sort_by(|&a, &b| m.get(a, medoid).total_cmp(&m.get(b, medoid)));
        let states: Vec<&str> = seqs.seqs[medoid]
            .iter()
            .map(|&x| seqs.alphabet[x as usize].as_str())
            .collect();
        let _ = writeln!(
            s,
            "cluster {} ({} journeys), medoid {}: {}",
            c + 1,
            members.len(),
            inert(&seqs.ids[medoid]),
            inert(&states.join(" "))
        );
        let list: Vec<String> = members
            .iter()
            .map(|&i| format!("{} ({})", inert(&seqs.ids[i]), inert(&seqs.themes[i])))
            .collect();
        let _ = writeln!(s, "  {}", list.join(", "));
    }
    s.push_str(&cross_text("themes", &t.themes));
    s.push_str(&cross_text("outcomes", &t.outcomes));
    s
}

/// A step's title and first quote, for listing evidence.
fn step_line(data: &Dataset, journey: &str, step: &str) -> String {
    let Some(s) = data
        .journey(journey)
        .and_then(|j| j.steps.iter().find(|s| s.id == step))
    else {
        return format!("{} {}", inert(journey), inert(step));
    };
    let quote = s
        .evidence
        .first()
        .map(|e| format!(" — «{}» ({})", inert(&e.quote), inert(&e.translation)))
        .unwrap_or_default();
    format!(
        "{} {} {}: {}{}",
        inert(journey),
        inert(step),
        s.kind.name(),
        inert(&s.title),
        quote
    )
}

fn patterns_text(
    data: &Dataset,
    seqs: &Sequences,
    frequent: &[patterns::Pattern],
    tested: &[patterns::Discriminating],
    top: usize,
) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} frequent subsequences in {} journeys; the most frequent:",
        frequent.len(),
        seqs.len()
    );
    for p in frequent.iter().take(top) {
        let _ = writeln!(s, "  {:>5.1}%  {}", 100.0 * p.support, inert(&p.label()));
    }
    let Some(first) = tested.first() else {
        return s;
    };
    let groups: Vec<String> = first.groups.iter().map(|g| inert(g).into_owned()).collect();
    let _ = writeln!(
        s,
        "\nsubsequences that differ most between {} (χ², Bonferroni over {} tests):",
        groups.join(", "),
        tested.len()
    );
    for d in tested.iter().take(top) {
        let shares: Vec<String> = d
            .shares
            .iter()
            .zip(&groups)
            .map(|(x, g)| format!("{g} {:.0}%", 100.0 * x))
            .collect();
        let _ = writeln!(
            s,
            "\n  {}  χ² {:.2} (df {}), p {:.4}, Bonferroni p {:.4}{}",
            inert(&d.pattern.label()),
            d.chi2,
            d.df,
            d.p,
            d.p_bonferroni,
            if d.p_bonferroni < 0.05 { " *" } else { "" }
        );
        let _ = writeln!(s, "    {}", shares.join(", "));
        for o in d.pattern.occurrences.iter().take(SHOWN_OCCURRENCES) {
            for step in &o.steps {
                let _ = writeln!(s, "    {}", step_line(data, &o.journey, step));
            }
        }
        let more = d
            .pattern
            .occurrences
            .len()
            .saturating_sub(SHOWN_OCCURRENCES);
        if more > 0 {
            let _ = writeln!(
                s,
                "    … and in {more} more journeys (--json lists every occurrence)"
            );
        }
    }
    s
}

fn align_text(data: &Dataset, al: &align::Alignment, d: f64) -> String {
    let mut s = String::new();
    let (l, r) = (inert(&al.left), inert(&al.right));
    let idw = l.width().max(r.width());
    let cells: Vec<(String, String, &str)> = al
        .columns
        .iter()
        .map(|c| {
            let side = |x: &Option<align::Side>| {
                x.as_ref()
                    .map_or("·".to_string(), |x| inert(&x.state).into_owned())
            };
            let mark = match c.op {
                Op::Match => "=",
                Op::Substitute => "≠",
                Op::Insert => "+",
                Op::Delete => "−",
            };
            (side(&c.left), side(&c.right), mark)
        })
        .collect();
    let widths: Vec<usize> = cells
        .iter()
        .map(|(a, b, _)| a.width().max(b.width()))
        .collect();
    let row = |pick: &dyn Fn(&(String, String, &str)) -> String| -> String {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| pad_right(&pick(c), *w))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let _ = writeln!(s, "{} {}", pad_right(&l, idw), row(&|c| c.0.clone()));
    let _ = writeln!(s, "{} {}", " ".repeat(idw), row(&|c| c.2.to_string()));
    let _ = writeln!(s, "{} {}", pad_right(&r, idw), row(&|c| c.1.clone()));
    let _ = writeln!(
        s,
        "distance {} (= match, ≠ substitute, + insert, − delete; raw cost {})\n",
        crate::export::num(d),
        crate::export::num(al.total)
    );
    for (n, c) in al.columns.iter().enumerate() {
        let what = match c.op {
            Op::Match => "match",
            Op::Substitute => "substitute",
            Op::Insert => "insert",
            Op::Delete => "delete",
        };
        let _ = writeln!(
            s,
            "{:>2}. {what} (cost {})",
            n + 1,
            crate::export::num(c.cost)
        );
        if let Some(x) = &c.left {
            let _ = writeln!(s, "    {}", step_line(data, &al.left, &x.step));
        }
        if let Some(x) = &c.right {
            let _ = writeln!(s, "    {}", step_line(data, &al.right, &x.step));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_takes_a_number_or_a_range() {
        assert_eq!(parse_k("4").unwrap(), 4..=4);
        assert_eq!(parse_k("2..8").unwrap(), 2..=8);
        assert_eq!(parse_k("2..=5").unwrap(), 2..=5);
        assert!(parse_k("5..2").is_err());
        assert!(parse_k("x").is_err());
    }
}
