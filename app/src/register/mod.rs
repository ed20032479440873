//! The Art. 30 register of processing activities ("Rejestr czynności przetwarzania"),
//! generated from Zgoda's records, completed by managers, kept in dated versions.

pub mod api;
pub mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(all(test, feature = "ssr"))]
mod store_tests;

pub use page::RegisterPage;
