//! The server's wiring: configuration, database, router, security layers, background
//! jobs and the command line. The product itself lives in the `app` crate.

pub mod cli;
pub mod commands;
pub mod config;
pub mod health;
pub mod jobs;
pub mod router;
pub mod security;
pub mod startup;
