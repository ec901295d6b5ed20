//! Scrim's review gateway.

pub mod kanon;
