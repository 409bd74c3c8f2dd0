//! Tests of loading, merging and checking domains.
