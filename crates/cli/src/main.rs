//! The `rootward` command.
fn main() {}
