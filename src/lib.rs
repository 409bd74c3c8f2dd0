//! Root package: hosts the workspace-wide integration tests and benchmarks.
