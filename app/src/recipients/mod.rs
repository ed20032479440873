//! Recipients: the entities data may be shared with, their processor agreements
//! (umowy powierzenia), what each may receive and on what basis, and the disclosure log.

pub mod api;
mod disclosures_page;
#[cfg(feature = "ssr")]
pub mod document;
pub mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod store;

pub use disclosures_page::DisclosuresPage;
pub use model::{Disclosure, Recipient};
pub use page::RecipientsPage;
