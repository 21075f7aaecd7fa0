//! Rootward's operator core: the centralized-root-access jobs that the
//! `rootward` commands and the web console both run, through the official
//! AWS SDK for Rust, against real AWS or `rootward serve`.
//!
//! It owns the AWS clients from the standard credential chain ([`aws`]),
//! account selection ([`select`]), the bounded concurrent runner
//! ([`runner`]), root sessions whose credentials never leave memory
//! ([`root`]), the audit classification ([`audit`]), credential deletion
//! ([`delete`]), the recovery ledger and `allow-recovery` ([`recovery`]),
//! bucket and queue unlocks with their backups ([`unlock`]), private files
//! for both ([`files`]), `status` and
//! `enable` ([`status`], [`enable`]) and the AssumeRoot trail ([`trail`]).
//! Each job returns the document the CLI prints with `--output json` (the
//! schemas of the README), so both faces show the same thing.
//!
//! It leaves out argument parsing, terminal output and HTML: those are the
//! faces' (`crates/cli`, `crates/console`). Nothing here prints.

pub mod audit;
pub mod aws;
pub mod delete;
pub mod enable;
pub mod error;
pub mod files;
pub mod recovery;
pub mod root;
pub mod runner;
pub mod select;
pub mod status;
pub mod table;
pub mod trail;
pub mod unlock;

pub use error::Failure;
