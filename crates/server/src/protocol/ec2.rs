//! Amazon EC2's query protocol (`Action=DescribeRegions&Version=2016-11-15`):
//! the form as AWS query sends it, but lists are `Name.N` (no `.member.`,
//! [`super::query::decode_ec2`]), the answer is `<{Op}Response>` with a
//! `requestId` and no `<{Op}Result>` wrapper, and errors are
//! `<Response><Errors><Error>…</Error></Errors><RequestID>…</RequestID></Response>`.

use crate::error::ApiError;
use crate::protocol::xml::Xml;

/// The content type of answers.
pub const CONTENT_TYPE: &str = "text/xml;charset=UTF-8";

/// `<{Op}Response xmlns=…><requestId>…</requestId>…</{Op}Response>`.
pub fn success(op: &str, namespace: &str, request_id: &str, inner: Xml) -> String {
    let mut x = Xml::new();
    let root = format!("{op}Response");
    x.open_ns(&root, namespace)
        .elem("requestId", request_id)
        .raw(&inner.finish())
        .close(&root);
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", x.finish())
}

/// EC2's error document.
pub fn error_body(e: &ApiError, request_id: &str) -> String {
    let mut x = Xml::new();
    x.open("Response")
        .open("Errors")
        .open("Error")
        .elem("Code", e.query_code.as_deref().unwrap_or(&e.code))
        .elem("Message", &e.message)
        .close("Error")
        .close("Errors")
        .elem("RequestID", request_id)
        .close("Response");
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", x.finish())
}

/// `InvalidAction` for an EC2 action that exists but is not served here:
/// the code EC2 gives an action it does not know (so tools report it as not
/// supported), with a message that says why. The wording is ours.
pub fn not_implemented(action: &str) -> ApiError {
    ApiError::new(
        "InvalidAction",
        400,
        format!("The ec2 service is not implemented by this endpoint (operation {action})."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_are_ec2_shaped() {
        let mut inner = Xml::new();
        inner.open("regionInfo").close("regionInfo");
        assert_eq!(
            success(
                "DescribeRegions",
                "http://ec2.amazonaws.com/doc/2016-11-15/",
                "r-1",
                inner
            ),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeRegionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r-1</requestId><regionInfo></regionInfo></DescribeRegionsResponse>"
        );
        let e = ApiError::new("UnauthorizedOperation", 403, "no & no");
        assert_eq!(
            error_body(&e, "r-2"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>no &amp; no</Message></Error></Errors><RequestID>r-2</RequestID></Response>"
        );
    }
}
