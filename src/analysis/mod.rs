//! Computations over journeys: summary statistics now, comparison and agreement later.
//! No terminal code and no I/O.

pub mod compare;
pub mod stats;
pub mod view;
