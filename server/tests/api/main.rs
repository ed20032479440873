//! The integration tests: one binary with a module per feature, so the dependency graph
//! links once (fourteen binaries of several hundred megabytes each filled CI's disk).
//! `import_hostile` stays a binary of its own because it counts every allocation of its
//! process.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod api_document;
mod consents;
mod contacts;
mod desk;
mod dialer;
mod erasure;
mod erasure_backups;
mod erasure_decisions;
mod exports;
mod foundation;
mod history;
mod import_failover;
mod import_safety;
mod imports;
mod imports_duplicates;
mod imports_malformed;
mod key_epochs;
mod logs;
mod nodes;
mod purposes;
mod register;
mod reports;
mod restriction;
mod retention;
mod role_matrix;
mod search;
mod security;
mod subject_data;
mod tokens;
mod web_forms;
mod webhooks;
