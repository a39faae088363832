//! The window's commands. Each converts its arguments, calls one core function, and
//! returns; errors go out in the stable `{kind, message, fields?}` shape. All are async
//! so no database or file work runs on the UI thread. Names are verb_noun; the list is
//! `command_names.rs`, shared with build.rs and the ACL.

pub mod app;
pub mod backups;
pub mod cycles;
pub mod dashboard;
pub mod guidance;
pub mod method;
pub mod sync;
pub mod window;
