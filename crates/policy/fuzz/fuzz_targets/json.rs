//! Fuzzes the hand-written JSON parser: any text must give `Ok` or `Err`,
//! never a panic, an overflow or unbounded recursion.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = rootward_policy::json::parse(text);
    }
});
