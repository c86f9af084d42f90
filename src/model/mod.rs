//! Plain data at the centre of terreng: journeys, the terrain catalogue, and the route layout.
//!
//! Nothing here knows about the terminal, files or the clock; the TUI, the exporters and the
//! tests all build on these types.

pub mod annotation;
pub mod codebook;
pub mod edit;
pub mod journey;
pub mod merge;
pub mod route;
pub mod source;
pub mod study;
pub mod terrain;
pub mod tight;

pub use annotation::{Annotations, Note};
pub use journey::{Evidence, Journey, Place, Provenance, Source, Step, StepKind};
pub use route::{Placed, Point, Route, layout};
pub use source::{Document, Format};
pub use study::Study;
pub use terrain::{Category, Feature, FeatureClass, NamedColor, Origin, Shape, Terrain, Theme};
pub use tight::{Tight, tight};
