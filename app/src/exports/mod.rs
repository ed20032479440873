//! "Eksportuj": the contacts a search finds, exported to CSV or XLSX. Every export is a
//! disclosure inside the organisation, on record (who, when, purpose, filter, columns,
//! contacts) before the first byte leaves; large ones are prepared in the background and
//! their file kept sealed for a day.

pub mod api;
pub mod model;
mod page;

pub use page::{ExportJobPage, ExportPage};

#[cfg(feature = "ssr")]
pub mod job;
#[cfg(feature = "ssr")]
pub mod route;
#[cfg(feature = "ssr")]
pub mod rows;
#[cfg(feature = "ssr")]
pub mod sink;
#[cfg(feature = "ssr")]
pub mod store;
