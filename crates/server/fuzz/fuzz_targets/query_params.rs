//! The query protocol's form decoding and its trail rendering never panic;
//! a form decodes unless its percent-decoded bytes are not UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rootward_server::protocol::query::{Params, decode_form};

fuzz_target!(|data: &[u8]| {
    let pairs = decode_form(data);
    // UTF-8 without escapes always decodes, to as many pairs as it has.
    if std::str::from_utf8(data).is_ok() && !data.contains(&b'%') {
        assert!(pairs.is_ok());
    }
    let Ok(p) = Params::parse(data) else {
        assert!(pairs.is_err());
        return;
    };
    let _ = p.get("Action");
    let _ = p.int("MaxItems");
    let _ = p.bool("SetAsDefault");
    let _ = p.list("PolicyArns");
    let _ = rootward_server::trail::from_query(p.iter());
});
