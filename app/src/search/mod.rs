//! "Szukaj": managers find contacts by any combination of conditions — exact blind-index
//! matches for sealed values, plain columns for the rest — page through them, save
//! searches by name, and hand the same filter to "Eksportuj".

pub mod api;
#[cfg(feature = "ssr")]
pub mod backfill;
pub mod model;
mod page;
pub mod query;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(all(test, feature = "ssr"))]
mod store_tests;

pub use model::{SearchFilter, SearchPage, SearchRow, SearchView, SortBy};
pub use page::SearchContactsPage;
