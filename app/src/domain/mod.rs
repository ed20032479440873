//! Domain values validated once, shared by the browser and the server.

pub mod text;
