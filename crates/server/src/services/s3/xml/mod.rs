//! S3's XML documents as serde structs (quick-xml's serde support), as
//! garage's `api/s3/xml.rs`: every result document this endpoint writes, and
//! the request documents read through serde, each tested below against the
//! exact bytes S3 sends.
//!
//! How S3 writes them (spec 08 §8.5): the root element carries
//! `xmlns="http://s3.amazonaws.com/doc/2006-03-01/"`; an empty value is an
//! open and a close tag (`<Prefix></Prefix>`), never `<Prefix/>`; quotes are
//! escaped in text (`<ETag>&quot;…&quot;</ETag>`); timestamps are ISO-8601
//! with milliseconds (`2024-11-20T12:00:00.000Z`); booleans `true`/`false`.
//! Elements come in the order of S3's documented answers, which is the
//! model's output member order except for the list results, where S3 writes
//! `Name`, `Prefix`, … before `IsTruncated` and `Contents` (the model lists
//! `IsTruncated` and `Contents` first; SDKs read either order).
//!
//! Request documents are read in two steps: [`super::documents`]'s strict
//! reader checks the XML itself (UTF-8, one root of the operation's name, no
//! DTD, depth, entities, no stray text), then serde maps it onto the
//! structs, refusing unknown and repeated members (`deny_unknown_fields`).
//! Either failure is `MalformedXML`.

use axum::body::Body;
use axum::http::Response;
use quick_xml::se::{QuoteLevel, Serializer};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::wire::{NS, S3Fail, internal, response, set_header};

pub mod config;
mod error;
mod results;

pub use error::ErrorDocument;

pub use results::*;

/// The `xmlns` attribute of a result document's root: S3's namespace.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ns;

impl Serialize for Ns {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(NS)
    }
}

/// A timestamp as S3 writes it in documents: `2024-11-20T12:00:00.000Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp(pub OffsetDateTime);

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::timestamp(self.0))
    }
}

/// A document's text: the XML declaration, a line break, then the root
/// element named `root`.
pub fn to_string<T: Serialize>(root: &str, doc: &T) -> Result<String, S3Fail> {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let mut ser = Serializer::with_root(&mut out, Some(root)).map_err(fail)?;
    ser.expand_empty_elements(true);
    ser.set_quote_level(QuoteLevel::Full);
    doc.serialize(ser).map_err(fail)?;
    Ok(out)
}

fn fail(e: quick_xml::SeError) -> S3Fail {
    tracing::error!(error = %e, "S3 document not written");
    internal()
}

/// A 200 answer carrying the document `doc` under the root `root`.
pub fn ok<T: Serialize>(request_id: &str, root: &str, doc: &T) -> Result<Response<Body>, S3Fail> {
    let body = to_string(root, doc)?;
    let mut r = response(200, request_id, Body::from(body));
    set_header(&mut r, "content-type", "application/xml");
    Ok(r)
}

/// An owner: its canonical user id.
#[derive(Debug, Serialize)]
pub struct Owner {
    /// `ID`: 64 hex characters.
    #[serde(rename = "ID")]
    pub id: String,
}

/// An element's text as sent (not trimmed), `""` for an empty element (an
/// absent element is the `None` of an `Option<Text>`).
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
pub struct Text {
    /// The text.
    #[serde(rename = "$text", default)]
    pub text: String,
}

/// An element whose content is not read (its presence is what counts).
#[derive(Debug, Default, Deserialize)]
pub struct Ignored {}

/// A request document through serde (after the strict reader accepted the
/// XML itself): any mismatch with the struct is `MalformedXML`.
pub fn from_str<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T, S3Fail> {
    quick_xml::de::from_str(text).map_err(|_| super::documents::malformed_xml())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    const XMLNS: &str = r#" xmlns="http://s3.amazonaws.com/doc/2006-03-01/""#;

    #[test]
    fn documents_start_with_the_xml_declaration() {
        let s = to_string(
            "PolicyStatus",
            &PolicyStatus {
                ns: Ns,
                is_public: false,
            },
        )
        .unwrap();
        assert_eq!(
            s,
            format!("{DECL}<PolicyStatus{XMLNS}><IsPublic>false</IsPublic></PolicyStatus>")
        );
    }
}
