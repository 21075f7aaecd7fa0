//! S3's `<Error>` document (spec 08 §8.5): code, message, the error's own
//! elements (`<BucketName>`, `<Method>`, …), the resource, the request id
//! and host id; no namespace. Rendering only: it takes what the error names
//! and knows nothing of how errors are chosen.

use serde::ser::{Serialize, SerializeMap, Serializer};

/// The `<Error>` document of one failed request.
#[derive(Debug, Clone, Copy)]
pub struct ErrorDocument<'a> {
    /// `Code`.
    pub code: &'a str,
    /// `Message`.
    pub message: &'a str,
    /// The error's own elements, in order.
    pub details: &'a [(String, String)],
    /// `Resource`: the request's path.
    pub resource: Option<&'a str>,
    /// `RequestId`.
    pub request_id: &'a str,
    /// `HostId`.
    pub host_id: &'a str,
}

impl Serialize for ErrorDocument<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("Code", self.code)?;
        m.serialize_entry("Message", self.message)?;
        for (name, value) in self.details {
            m.serialize_entry(name, value)?;
        }
        if let Some(r) = self.resource {
            m.serialize_entry("Resource", r)?;
        }
        m.serialize_entry("RequestId", self.request_id)?;
        m.serialize_entry("HostId", self.host_id)?;
        m.end()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::to_string;
    use super::*;

    #[test]
    fn the_error_document_is_written_as_s3_writes_it() {
        let details = [("BucketName".to_owned(), "a&b".to_owned())];
        let d = ErrorDocument {
            code: "NoSuchBucket",
            message: "The specified bucket does not exist",
            details: &details,
            resource: Some("/a&b"),
            request_id: "4442587FB7D0A2F9",
            host_id: "aG9zdA==",
        };
        assert_eq!(
            to_string("Error", &d).unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>a&amp;b</BucketName><Resource>/a&amp;b</Resource><RequestId>4442587FB7D0A2F9</RequestId><HostId>aG9zdA==</HostId></Error>"
        );
        let bare = ErrorDocument {
            details: &[],
            resource: None,
            message: "",
            ..d
        };
        assert_eq!(
            to_string("Error", &bare).unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchBucket</Code><Message></Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>aG9zdA==</HostId></Error>"
        );
    }
}
