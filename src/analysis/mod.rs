//! Computations over journeys: summary statistics, comparison, and agreement between analysts.
//! No terminal code and no I/O.

pub mod agree;
pub mod apart;
pub mod codes;
pub mod compare;
pub mod sequence;
pub mod stats;
pub mod view;
