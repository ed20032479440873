//! The Art. 30 register of processing activities ("Rejestr czynności przetwarzania"),
//! generated from Zgoda's records, completed by managers, kept in dated versions.

pub mod api;
#[cfg(feature = "ssr")]
pub mod file;
pub mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(all(test, feature = "ssr"))]
mod store_tests;

pub use page::RegisterPage;
