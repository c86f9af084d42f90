//! Sequence analysis of journeys, exact to the published definitions of TraMineR and
//! WeightedCluster, and tied back to the steps: every result keeps the journey and step ids
//! behind it, so a caller can open the evidence.
//!
//! - [`alphabet`]: journeys as sequences of states (by kind, by codes, or both);
//! - [`distance`]: OM, LCS, Hamming and DHD distances and the condensed distance matrix;
//! - [`cluster`]: PAM and Ward typologies, their quality, and cross-tables against themes;
//! - [`align`]: the optimal alignment of two journeys, step by step;
//! - [`patterns`]: frequent and discriminating subsequences, with their occurrences;
//! - [`plots`]: the data of the index plot, state distribution, transition rates, entropy
//!   and turbulence;
//! - [`view`]: all of it for the journeys in view, as the sequences screen shows it.
//!
//! No terminal code and no I/O here.

pub mod align;
pub mod alphabet;
pub mod cluster;
pub mod distance;
pub mod patterns;
pub mod plots;
pub mod view;

pub use alphabet::{By, CodeClass, Sequences};
pub use distance::{Matrix, Method, Norm, Options, Sm};
