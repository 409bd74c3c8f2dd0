//! Bela HTTP server.
