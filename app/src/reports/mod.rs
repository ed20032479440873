//! "Raporty": reports on the processing of personal data, built by managers from the
//! records Zgoda keeps (contacts and their sources, consent decisions, field changes,
//! disclosures and exports, card reads, erasure requests, imports, communications and
//! blocked attempts), grouped by period or category, charted, saved by name.

pub mod api;
pub mod chart;
pub mod counters;
#[cfg(feature = "ssr")]
pub mod file;
pub mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod saved;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(all(test, feature = "ssr"))]
mod store_tests;

pub use counters::ManagerCountersCard;
pub use page::ReportsPage;
