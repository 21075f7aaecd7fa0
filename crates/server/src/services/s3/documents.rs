//! The XML documents S3 reads from a request body, checked as S3 checks them
//! against its schema (botocore's `s3` model names the members): the body is
//! UTF-8 XML with one root element of the operation's name; every member is
//! known, required members are present, values have their type. Anything
//! else is `MalformedXML` (400). Namespaces are not checked (SDKs send S3's,
//! hand-written bodies often none); no DTD is read.
//!
//! Two steps: the reader here checks the XML itself (UTF-8, one root of the
//! operation's name, no DTD, depth, known entities, no mixed content) and
//! which members the root holds; serde then reads the members into the
//! structs of [`super::xml`] (`deny_unknown_fields` below the root), and the
//! functions here check their values.
//!
//! | Operation | Root | Members |
//! |---|---|---|
//! | DeleteObjects | `Delete` | `Object` (1 to 1,000: `Key`, non-empty), `Quiet`? |
//! | CreateBucket | `CreateBucketConfiguration` | `LocationConstraint`? |
//! | CompleteMultipartUpload | `CompleteMultipartUpload` | `Part` (1 or more: `PartNumber`, `ETag`, `Checksum…`?) |
//!
//! Members this endpoint does not implement (object versions and conditional
//! deletes in `Delete`, directory-bucket `Location`/`Bucket` and `Tags` in
//! `CreateBucketConfiguration`) answer `NotImplemented` rather than being
//! ignored: ignoring them would do something other than what was asked.

use quick_xml::events::Event;

use super::wire::{S3Fail, not_implemented};

/// `MalformedXML`.
pub fn malformed_xml() -> S3Fail {
    S3Fail::new(
        "MalformedXML",
        400,
        "The XML you provided was not well-formed or did not validate against our published schema",
    )
}

/// The deepest nesting any of these documents has, with room to spare.
const MAX_DEPTH: usize = 8;

/// The most objects one DeleteObjects may name.
pub const MAX_DELETE_OBJECTS: usize = 1000;

/// An element: its local name, its text, its children.
#[derive(Debug, Default, PartialEq, Eq)]
struct Element {
    name: String,
    text: String,
    children: Vec<Element>,
}

impl Element {
    /// An element that holds only elements (whitespace between them).
    fn container(&self) -> Result<&[Element], S3Fail> {
        if self.text.trim().is_empty() {
            Ok(&self.children)
        } else {
            Err(malformed_xml())
        }
    }
}

/// Parses a whole document into its root element.
fn parse(doc: &[u8]) -> Result<Element, S3Fail> {
    let text = std::str::from_utf8(doc).map_err(|_| malformed_xml())?;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut started = false;
    loop {
        let event = reader.read_event().map_err(|_| malformed_xml())?;
        let first = !started;
        started = true;
        // One root, not too deep.
        if matches!(event, Event::Start(_) | Event::Empty(_))
            && (root.is_some() || stack.len() >= MAX_DEPTH)
        {
            return Err(malformed_xml());
        }
        match event {
            Event::Decl(_) if first => {}
            Event::Start(e) => stack.push(Element {
                name: local_name(e.local_name().as_ref())?,
                ..Element::default()
            }),
            Event::Empty(e) => {
                let el = Element {
                    name: local_name(e.local_name().as_ref())?,
                    ..Element::default()
                };
                attach(&mut stack, &mut root, el);
            }
            Event::End(_) => {
                let el = stack.pop().ok_or_else(malformed_xml)?;
                attach(&mut stack, &mut root, el);
            }
            Event::Text(t) => {
                let t = t.xml_content().map_err(|_| malformed_xml())?;
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&t),
                    None if t.trim().is_empty() => {}
                    None => return Err(malformed_xml()),
                }
            }
            Event::CData(t) => {
                let t = std::str::from_utf8(&t).map_err(|_| malformed_xml())?;
                stack.last_mut().ok_or_else(malformed_xml)?.text.push_str(t);
            }
            Event::GeneralRef(r) => {
                let c = entity(&r)?;
                stack.last_mut().ok_or_else(malformed_xml)?.text.push(c);
            }
            Event::Comment(_) | Event::PI(_) => {}
            Event::Decl(_) | Event::DocType(_) => return Err(malformed_xml()),
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(malformed_xml());
    }
    root.ok_or_else(malformed_xml)
}

fn local_name(name: &[u8]) -> Result<String, S3Fail> {
    std::str::from_utf8(name)
        .map(str::to_owned)
        .map_err(|_| malformed_xml())
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => *root = Some(el),
    }
}

/// A predefined entity or a character reference.
fn entity(r: &quick_xml::events::BytesRef<'_>) -> Result<char, S3Fail> {
    if let Some(c) = r.resolve_char_ref().map_err(|_| malformed_xml())? {
        return Ok(c);
    }
    match r.as_ref() {
        b"amp" => Ok('&'),
        b"lt" => Ok('<'),
        b"gt" => Ok('>'),
        b"quot" => Ok('"'),
        b"apos" => Ok('\''),
        _ => Err(malformed_xml()),
    }
}

/// The root, if it has this name.
fn root_named(doc: &[u8], name: &str) -> Result<Element, S3Fail> {
    let root = parse(doc)?;
    if root.name == name {
        Ok(root)
    } else {
        Err(malformed_xml())
    }
}

/// The root's children are all among `names`.
fn members_among(root: &Element, names: &[&str]) -> Result<(), S3Fail> {
    if root
        .children
        .iter()
        .all(|c| names.contains(&c.name.as_str()))
    {
        Ok(())
    } else {
        Err(malformed_xml())
    }
}

/// A request document's members through serde, once the XML is checked
/// (its root and their members: the serde structs of [`super::xml`]).
fn members<T: serde::de::DeserializeOwned>(doc: &[u8]) -> Result<T, S3Fail> {
    let text = std::str::from_utf8(doc).map_err(|_| malformed_xml())?;
    super::xml::from_str(text)
}

/// A DeleteObjects request: the keys, and whether only failures are listed.
#[derive(Debug, PartialEq, Eq)]
pub struct Delete {
    /// The keys, in the request's order.
    pub keys: Vec<String>,
    /// `Quiet`.
    pub quiet: bool,
}

/// The `Delete` document of DeleteObjects.
pub fn delete(doc: &[u8]) -> Result<Delete, S3Fail> {
    let root = root_named(doc, "Delete")?;
    well_formed(&root)?;
    members_among(&root, &["Object", "Quiet"])?;
    let request: super::xml::Delete = members(doc)?;
    let quiet = match request.quiet.as_deref().map(str::trim) {
        None | Some("false" | "0") => false,
        Some("true" | "1") => true,
        Some(_) => return Err(malformed_xml()),
    };
    let mut keys = Vec::with_capacity(request.objects.len());
    for object in request.objects {
        if object.unserved() {
            return Err(not_implemented());
        }
        match object.key {
            Some(k) if !k.text.is_empty() => keys.push(k.text),
            _ => return Err(malformed_xml()),
        }
    }
    if keys.is_empty() || keys.len() > MAX_DELETE_OBJECTS {
        return Err(malformed_xml());
    }
    Ok(Delete { keys, quiet })
}

/// The `LocationConstraint` of a `CreateBucketConfiguration` document.
pub fn create_bucket_configuration(doc: &[u8]) -> Result<Option<String>, S3Fail> {
    let root = root_named(doc, "CreateBucketConfiguration")?;
    well_formed(&root)?;
    members_among(&root, &["LocationConstraint", "Location", "Bucket", "Tags"])?;
    let request: super::xml::CreateBucketConfiguration = members(doc)?;
    if request.location.is_some() || request.bucket.is_some() || request.tags.is_some() {
        return Err(not_implemented());
    }
    Ok(request.location_constraint.map(|l| l.trim().to_owned()))
}

/// The parts of a `CompleteMultipartUpload` document: number and ETag, in
/// the request's order (the domain checks order and existence). The XML is
/// checked here, its members are read as [`super::xml::CompletedPart`]s.
pub fn complete_multipart_upload(doc: &[u8]) -> Result<Vec<(u32, String)>, S3Fail> {
    let root = root_named(doc, "CompleteMultipartUpload")?;
    well_formed(&root)?;
    // The root's attributes (namespace bindings) are not read; its
    // children are the parts, and only parts.
    members_among(&root, &["Part"])?;
    let request: super::xml::CompleteMultipartUpload = members(doc)?;
    let parts = request
        .parts
        .iter()
        .map(|p| Some((p.number()?, p.etag.clone())))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(malformed_xml)?;
    if parts.is_empty() || parts.len() != root.children.len() {
        return Err(malformed_xml());
    }
    Ok(parts)
}

/// Checks a request document's XML (UTF-8, one root named `root`, no DTD,
/// not too deep, known entities, no mixed content) before serde reads its
/// members.
pub fn checked(doc: &[u8], root: &str) -> Result<(), S3Fail> {
    well_formed(&root_named(doc, root)?)
}

/// Every element holds either text or elements, never both (S3's
/// documents have no mixed content).
fn well_formed(el: &Element) -> Result<(), S3Fail> {
    if el.children.is_empty() {
        return Ok(());
    }
    for child in el.container()? {
        well_formed(child)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const NS: &str = r#" xmlns="http://s3.amazonaws.com/doc/2006-03-01/""#;

    fn code<T: std::fmt::Debug>(r: Result<T, S3Fail>) -> String {
        r.unwrap_err().code
    }

    #[test]
    fn delete_reads_keys_in_order_with_entities_and_quiet() {
        let d = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<Delete{NS}>
  <Object><Key>a&amp;b</Key></Object>
  <Object><Key><![CDATA[c<d]]></Key></Object>
  <Object><Key>&#x65;f </Key></Object>
  <Quiet>true</Quiet>
</Delete>"#
        );
        let got = delete(d.as_bytes()).unwrap();
        assert_eq!(got.keys, vec!["a&b", "c<d", "ef "]);
        assert!(got.quiet);
        let plain = delete(b"<Delete><Object><Key>k</Key></Object></Delete>").unwrap();
        assert_eq!((plain.keys.len(), plain.quiet), (1, false));
    }

    #[test]
    fn delete_refuses_what_does_not_fit_the_schema() {
        let cases: &[&[u8]] = &[
            b"",
            b"   ",
            b"<a>",
            b"<a/>",
            b"garbage",
            b"\xff\xfe<Delete/>",
            b"<Delete><Object><Key>\xff</Key></Object></Delete>",
            b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>",
            b"<Delete></Delete>",
            b"<Delete><Object><Key></Key></Object></Delete>",
            b"<Delete><Object><Key/></Object></Delete>",
            b"<Delete><Object></Object></Delete>",
            b"<Delete><Object><Key>a</Key><Key>b</Key></Object></Delete>",
            b"<Delete><Object><Key>a</Key><Colour>red</Colour></Object></Delete>",
            b"<Delete><Object><Key>a</Key></Object><Quiet>maybe</Quiet></Delete>",
            b"<Delete><Object><Key>a</Key></Object></Delete><Delete/>",
            b"<Delete><Object><Key>a</Key></Object></Delete>trailing",
            b"<Delete>text<Object><Key>a</Key></Object></Delete>",
            b"<Delete><Object><Key>a</Key></Object>",
            b"<Delete><Object><Key>a</Key></Obj></Delete>",
            b"<Delete><Object><Key>&unknown;</Key></Object></Delete>",
            b"<!DOCTYPE d [<!ENTITY x \"y\">]><Delete><Object><Key>a</Key></Object></Delete>",
            b"<Delete><Object><Key><b>nested</b></Key></Object></Delete>",
        ];
        for c in cases {
            assert_eq!(
                code(delete(c)),
                "MalformedXML",
                "{}",
                String::from_utf8_lossy(c)
            );
        }
        let many = format!(
            "<Delete>{}</Delete>",
            "<Object><Key>k</Key></Object>".repeat(1001)
        );
        assert_eq!(code(delete(many.as_bytes())), "MalformedXML");
        let deep = format!("{}{}", "<Delete>".repeat(20), "</Delete>".repeat(20));
        assert_eq!(code(delete(deep.as_bytes())), "MalformedXML");
    }

    #[test]
    fn delete_of_a_version_or_conditional_delete_is_not_implemented() {
        for m in [
            "<VersionId>v1</VersionId>",
            "<ETag>\"x\"</ETag>",
            "<Size>3</Size>",
        ] {
            let d = format!("<Delete><Object><Key>a</Key>{m}</Object></Delete>");
            assert_eq!(code(delete(d.as_bytes())), "NotImplemented", "{m}");
        }
    }

    #[test]
    fn create_bucket_configuration_reads_the_location() {
        let d = format!(
            "<CreateBucketConfiguration{NS}><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>"
        );
        assert_eq!(
            create_bucket_configuration(d.as_bytes())
                .unwrap()
                .as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(
            create_bucket_configuration(b"<CreateBucketConfiguration/>").unwrap(),
            None
        );
        for c in [
            &b"<a>"[..],
            b"<a/>",
            b"<Delete/>",
            b"<CreateBucketConfiguration><Region>x</Region></CreateBucketConfiguration>",
            b"<CreateBucketConfiguration>",
        ] {
            assert_eq!(code(create_bucket_configuration(c)), "MalformedXML");
        }
        assert_eq!(
            code(create_bucket_configuration(
                b"<CreateBucketConfiguration><Bucket><Type>Directory</Type></Bucket></CreateBucketConfiguration>"
            )),
            "NotImplemented"
        );
    }

    #[test]
    fn complete_multipart_upload_reads_parts_and_refuses_the_rest() {
        let d = format!(
            "<CompleteMultipartUpload{NS}><Part><ETag>\"e1\"</ETag><PartNumber>1</PartNumber><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part><Part><PartNumber> 2 </PartNumber><ETag>\"e2\"</ETag></Part></CompleteMultipartUpload>"
        );
        assert_eq!(
            complete_multipart_upload(d.as_bytes()).unwrap(),
            vec![(1, "\"e1\"".to_owned()), (2, "\"e2\"".to_owned())]
        );
        for c in [
            &b""[..],
            b"<CompleteMultipartUpload/>",
            b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
            b"<CompleteMultipartUpload><Part><ETag>x</ETag></Part></CompleteMultipartUpload>",
            b"<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>",
            b"<CompleteMultipartUpload><Part><PartNumber>-1</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>",
            b"<CompleteMultipartUpload><Piece/></CompleteMultipartUpload>",
            b"<Delete><Object><Key>a</Key></Object></Delete>",
        ] {
            assert_eq!(
                code(complete_multipart_upload(c)),
                "MalformedXML",
                "{}",
                String::from_utf8_lossy(c)
            );
        }
    }
}
