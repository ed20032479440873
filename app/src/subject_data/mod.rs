//! A person's own data (Art. 15 access, Art. 20 portability): everything Zgoda holds
//! about one contact, as a readable document in Polish and as JSON, in one ZIP from the
//! card ("⋮" → "Eksport danych osoby"), and as JSON for integrators. Each copy handed
//! out is on record (who, when, the file's SHA-256) and among the person's activities.

pub mod api;
#[cfg(feature = "ssr")]
pub mod document;
pub mod model;
mod panel;
#[cfg(feature = "ssr")]
pub mod requests;
#[cfg(all(test, feature = "ssr"))]
mod requests_tests;
#[cfg(feature = "ssr")]
pub mod route;
#[cfg(feature = "ssr")]
pub mod store;

pub use model::SubjectData;
pub use panel::AccessRequestsPanel;
