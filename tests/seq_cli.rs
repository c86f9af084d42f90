//! `terreng seq` on the bundled journeys: the typology of the 18 seed-001 groups, the
//! alignment of two of them with their quotes, and the matrix's forms.

use assert_cmd::Command;
use terreng::store::{self, DataSource};

const GROUPS: [&str; 8] = [
    "--theme",
    "leader_team",
    "--theme",
    "models",
    "--theme",
    "merger",
    "--theme",
    "informal",
];

fn terreng() -> Command {
    Command::cargo_bin("terreng").expect("the binary")
}

#[test]
fn types_with_k_4_partition_the_groups_and_name_their_medoids() {
    let out = terreng()
        .args(["seq", "types", "--k", "4", "--json"])
        .args(GROUPS)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["k"], 4);
    let clusters = v["clusters"].as_array().expect("clusters");
    assert_eq!(clusters.len(), 4);
    let mut all: Vec<String> = clusters
        .iter()
        .flat_map(|c| c["journeys"].as_array().cloned().unwrap_or_default())
        .filter_map(|j| j.as_str().map(str::to_string))
        .collect();
    all.sort();
    let expected: Vec<String> = (1..=18).map(|i| format!("g{i:02}")).collect();
    assert_eq!(all, expected, "every group in exactly one cluster");
    for c in clusters {
        let medoid = c["medoid"].as_str().expect("medoid");
        assert!(
            c["journeys"]
                .as_array()
                .expect("members")
                .iter()
                .any(|j| j == medoid),
            "a medoid is a member of its cluster"
        );
    }
    // The cross-table against the themes counts all 18 groups.
    let counts: u64 = v["themes"]["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .flat_map(|r| r.as_array().cloned().unwrap_or_default())
        .filter_map(|x| x.as_u64())
        .sum();
    assert_eq!(counts, 18);
    let ari = v["themes"]["ari"].as_f64().expect("ARI");
    assert!((-1.0..=1.0).contains(&ari));
}

#[test]
fn align_prints_both_rows_and_the_quotes_of_the_aligned_steps() {
    let out = terreng()
        .args(["seq", "align", "g01", "g06"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let data = store::load(&DataSource::Bundled, None);
    for id in ["g01", "g06"] {
        let j = data.journey(id).expect("bundled");
        // Every step of both journeys is in the alignment, with its first quote.
        for s in &j.steps {
            let q = &s.evidence[0].quote;
            assert!(text.contains(q.as_str()), "{id} {} quote missing", s.id);
        }
    }
    let mut lines = text.lines();
    assert!(lines.next().is_some_and(|l| l.starts_with("g01 ")));
    assert!(lines.nth(1).is_some_and(|l| l.starts_with("g06 ")));
}

#[test]
fn hamming_on_unequal_lengths_is_an_error() {
    let out = terreng()
        .args(["seq", "dist", "--method", "ham"])
        .args(GROUPS)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("equal length"));
}

#[test]
fn the_matrix_as_csv_has_ids_as_row_and_column_names() {
    let out = terreng()
        .args(["seq", "dist", "--csv", "--theme", "models"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows[0], ["", "g05", "g06", "g07", "g08"]);
    assert_eq!(rows.len(), 5);
    for (i, r) in rows.iter().enumerate().skip(1) {
        assert_eq!(r[i], "0", "the diagonal");
        assert_eq!(r[0], rows[0][i]);
    }
}
