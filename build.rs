//! Lists the bundled data (`journeys/*.ron`, `assets/terrain.ron`) for `src/store/bundled.rs`,
//! so that the binary carries its data set and runs from any directory.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=journeys");
    println!("cargo:rerun-if-changed=assets/terrain.ron");
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    let mut names: Vec<String> = std::fs::read_dir(root.join("journeys"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".ron") && !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::from("pub static JOURNEYS: &[(&str, &str)] = &[\n");
    for name in &names {
        println!("cargo:rerun-if-changed=journeys/{name}");
        let path = root.join("journeys").join(name);
        writeln!(
            out,
            "    (\"journeys/{name}\", include_str!({:?})),",
            path.display().to_string()
        )
        .expect("writing to a String");
    }
    out.push_str("];\n");
    writeln!(
        out,
        "pub static TERRAIN: &str = include_str!({:?});",
        root.join("assets/terrain.ron").display().to_string()
    )
    .expect("writing to a String");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("bundled.rs");
    std::fs::write(dest, out).expect("writing bundled.rs into OUT_DIR");
}
