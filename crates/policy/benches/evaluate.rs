//! Benchmarks of the policy engine (filled in below).
fn main() {}
