//! Zgoda: the product. Feature folders hold their shared types, server functions,
//! server-only queries (`ssr`) and components; `server/` and `frontend/` only wire them.
#![recursion_limit = "512"]

#[macro_use]
mod macros;

pub mod audit;
pub mod auth;
pub mod cases;
pub mod codec;
pub mod consents;
pub mod contacts;
pub mod desk;
pub mod domain;
pub mod erasure;
pub mod error;
pub mod exports;
pub mod history;
pub mod i18n;
pub mod ids;
pub mod imports;
pub mod integrations;
pub mod jobs;
pub mod recipients;
pub mod register;
pub mod reports;
pub mod restriction;
pub mod retention;
pub mod search;
pub mod shell;
pub mod sources;
pub mod subject_data;
pub mod system;
pub mod time_fmt;
pub mod webhooks;

#[cfg(feature = "ssr")]
pub mod bulk;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod store_error;
#[cfg(feature = "ssr")]
pub mod upload;
#[cfg(feature = "ssr")]
pub mod vault;

pub use shell::{shell, App};

#[cfg(test)]
mod no_panic_tests;
#[cfg(all(test, feature = "ssr"))]
mod test_db;
