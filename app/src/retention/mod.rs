//! Retention: erasing data whose purpose has ended. Managers define how long data may be
//! kept for each purpose ("Okresy przechowywania"); a daily job, claimed by one node at a
//! time, finds the contacts whose every purpose ended and sends them to the managers'
//! erasure queue or erases them, as each rule says. Legal holds always win; restricted
//! contacts and those already waiting for erasure are left alone.

pub mod api;
#[cfg(feature = "ssr")]
pub mod job;
pub mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(all(test, feature = "ssr"))]
mod store_tests;

pub use model::{RetentionOutcome, RetentionRule, RetentionScope};
pub use page::RetentionPage;
