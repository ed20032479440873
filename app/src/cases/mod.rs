//! Cases (karta sprawy / zgłoszenie): each belongs to a contact; its subject and
//! description are sealed under that contact's key.

pub mod api;
pub mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod store;
pub mod validate;

pub use model::{Assignee, CaseCard, CaseChannel, CaseInput, CaseRow, CaseStatus};
pub use page::{CaseCardPage, CaseNewPage};
