//! One module per subcommand.

pub mod audit;
pub mod console;
pub mod delete;
pub mod enable;
pub mod exec;
pub mod policy;
pub mod recovery;
pub mod serve;
pub mod status;
pub mod trail;
pub mod unlock;
