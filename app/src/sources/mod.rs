//! The register of personal-data sources (źródła danych osobowych): where each contact
//! and each field value came from.

pub mod api;
pub mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod store;

pub use model::{DataSource, SourceKind, CONSULTANT_SOURCE};
pub use page::SourcesPage;
