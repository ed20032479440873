//! Import of records from a file (Import z pliku): the wizard that loads a CSV, TXT or
//! XLSX file, tells its code page, maps its columns and repair options, and the
//! background run that adds the records with their source, batch, consents and history,
//! reporting every row it could not take.

pub mod api;
pub mod mapping;
pub mod model;
pub mod phone_repair;
mod report_page;
mod wizard;
mod wizard_steps;

pub use report_page::{ImportListPage, ImportReportPage};
pub use wizard::ImportWizardPage;

#[cfg(feature = "ssr")]
pub mod batch;
#[cfg(all(test, feature = "ssr"))]
mod batch_tests;
#[cfg(feature = "ssr")]
pub mod claims;
#[cfg(feature = "ssr")]
pub mod delimited;
#[cfg(feature = "ssr")]
pub mod download;
#[cfg(feature = "ssr")]
pub mod encoding;
#[cfg(feature = "ssr")]
pub mod engine;
#[cfg(feature = "ssr")]
pub mod prepare;
#[cfg(feature = "ssr")]
pub mod receive;
#[cfg(feature = "ssr")]
pub mod runner;
#[cfg(feature = "ssr")]
pub mod source;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod xlsx;
#[cfg(feature = "ssr")]
pub mod xlsx_guard;
