//! The query protocol's form decoding and its trail rendering never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rootward_server::protocol::query::Params;

fuzz_target!(|data: &[u8]| {
    let p = Params::parse(data);
    let _ = p.get("Action");
    let _ = p.int("MaxItems");
    let _ = p.bool("SetAsDefault");
    let _ = p.list("PolicyArns");
    let _ = rootward_server::trail::from_query(p.iter());
});
