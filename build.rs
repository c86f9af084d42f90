//! Lists the bundled data (`journeys/*.ron`, `assets/terrain.ron`) for `src/store/bundled.rs`,
//! so that the binary carries its data set and runs from any directory; and prints the data
//! model's source (`src/model/*.rs`) into `TERRENG_MODEL_PRINT`, so that a warm-start snapshot
//! (`src/store/warm.rs`) made by a build with other types is never read as this build's.

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
    model_print(root);
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("bundled.rs");
    std::fs::write(dest, out).expect("writing bundled.rs into OUT_DIR");
}

/// FNV-1a (64 bits) over the model's source files, in name order, each name and text: any change
/// to them gives another print.
fn model_print(root: &Path) {
    println!("cargo:rerun-if-changed=src/model");
    let dir = root.join("src/model");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("src/model is there")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .expect("a file")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read(&path).expect("reading the model's source");
        for byte in name.bytes().chain([0]).chain(text).chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=TERRENG_MODEL_PRINT={hash:016x}");
}
