//! Assembles trained components into a pipeline and trains one from data.
