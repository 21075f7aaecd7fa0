//! The JSON protocols' body decoding, member accessors and trail rendering
//! never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rootward_server::error::ApiError;
use rootward_server::protocol::json::Input;

fn missing(name: &str) -> ApiError {
    ApiError::new("Missing", 400, name)
}

fuzz_target!(|data: &[u8]| {
    if let Ok(i) = Input::parse(data, missing) {
        for name in ["Name", "ParentId", "MaxResults", "States", "Target", "Filter"] {
            let _ = i.str(name);
            let _ = i.required(name);
            let _ = i.int(name);
            let _ = i.str_list(name);
            if let Ok(Some(o)) = i.object(name) {
                let _ = o.str("Id");
            }
        }
    }
    let _ = rootward_server::trail::from_json(data);
});
