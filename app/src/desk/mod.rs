//! "Pulpit konsultanta": where a call starts. The quick lookup, the contacts and cases
//! the consultant opened lately, their open cases and their erasure requests a manager
//! refused or extended. Each panel holds only the caller's own items.

pub mod api;
pub mod model;
mod page;

pub use model::Desk;
pub use page::DeskPanels;
