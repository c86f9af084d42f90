//! Quote verification (placeholder).
