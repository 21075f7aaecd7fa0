//! Bucket configuration over REST-XML: `?versioning`, `?logging`,
//! `?encryption`, `?acl` (GET), `?tagging`, `?website`,
//! `?publicAccessBlock`, `?ownershipControls`. Request documents are read
//! into an element tree and mapped onto the domain's types
//! (`rootward_core::s3::config`); answers are the serde structs of
//! [`super::xml::config`].

use axum::body::Body;
use axum::http::Response;
use quick_xml::events::Event;
use rootward_core::s3::config::{
    self, EncryptionRule, KeyFormat, Logging, ObjectOwnership, PublicAccessBlock, Redirect,
    RoutingRule, Tag, Versioning, VersioningStatus, Website,
};

use super::wire::{self, S3Fail};
use super::xml::config as x;
use super::xml::{Ns, Owner, ok};
use super::{Req, canonical_id};

/// An element of a request document: local name, text, children.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Node {
    /// Local name (namespace prefix dropped).
    pub name: String,
    /// Text content (direct text only, trimmed).
    pub text: String,
    /// Child elements, in order.
    pub children: Vec<Node>,
}

impl Node {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child named `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child named `name`.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }
}

/// `MalformedXML`.
pub fn malformed() -> S3Fail {
    S3Fail::new(
        "MalformedXML",
        400,
        "The XML you provided was not well-formed or did not validate against our published schema",
    )
}

/// Reads a request document whose root element must be `root`.
pub fn parse(doc: &[u8], root: &str) -> Result<Node, S3Fail> {
    let mut reader = quick_xml::Reader::from_reader(doc);
    let mut stack: Vec<Node> = Vec::new();
    let mut top: Option<Node> = None;
    loop {
        match reader.read_event().map_err(|_| malformed())? {
            Event::Start(e) => {
                if top.is_some() {
                    return Err(malformed());
                }
                stack.push(Node {
                    name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
                    ..Node::default()
                });
            }
            Event::Empty(e) => {
                let n = Node {
                    name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
                    ..Node::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(n),
                    None if top.is_none() => top = Some(n),
                    None => return Err(malformed()),
                }
            }
            Event::Text(t) => {
                let t = t.xml_content().map_err(|_| malformed())?;
                match stack.last_mut() {
                    Some(n) => n.text.push_str(&t),
                    None if t.trim().is_empty() => {}
                    None => return Err(malformed()),
                }
            }
            Event::GeneralRef(r) => {
                let name = std::str::from_utf8(r.as_ref()).map_err(|_| malformed())?;
                let c = match name {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    n => n
                        .strip_prefix("#x")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .or_else(|| n.strip_prefix('#').and_then(|d| d.parse().ok()))
                        .and_then(char::from_u32)
                        .ok_or_else(malformed)?,
                };
                if let Some(n) = stack.last_mut() {
                    n.text.push(c);
                }
            }
            Event::CData(t) => {
                if let Some(n) = stack.last_mut() {
                    n.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::End(_) => {
                let mut n = stack.pop().ok_or_else(malformed)?;
                n.text = n.text.trim().to_owned();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(n),
                    None => top = Some(n),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    match top {
        Some(n) if stack.is_empty() && n.name == root => Ok(n),
        _ => Err(malformed()),
    }
}

fn boolean(text: Option<&str>) -> Result<Option<bool>, S3Fail> {
    match text.map(str::trim) {
        None => Ok(None),
        Some(t) if t.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(t) if t.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(_) => Err(malformed()),
    }
}

fn document(req: &Req<'_>, body: &[u8], root: &str) -> Result<Node, S3Fail> {
    let data = wire::payload(req.parts, body, req.authn.chunks.as_ref())?;
    parse(&data, root)
}

fn no_content(req: &Req<'_>) -> Response<Body> {
    req.empty(204)
}

/// `GET ?versioning`.
pub(super) fn get_versioning(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let v = config::get_bucket_versioning(req.svc, &req.authn.caller, req.bucket()?)?;
    let doc = match v {
        None => x::VersioningConfiguration::default(),
        Some(v) => x::VersioningConfiguration {
            ns: Ns,
            status: v.status.map(VersioningStatus::as_str),
            mfa_delete: v.mfa_delete.map(|m| if m { "Enabled" } else { "Disabled" }),
        },
    };
    ok(req.request_id, "VersioningConfiguration", &doc)
}

/// `PUT ?versioning`.
pub(super) fn put_versioning(req: &Req<'_>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
    let doc = document(req, body, "VersioningConfiguration")?;
    let status = match doc.text_of("Status") {
        None => None,
        Some("Enabled") => Some(VersioningStatus::Enabled),
        Some("Suspended") => Some(VersioningStatus::Suspended),
        Some(_) => return Err(malformed()),
    };
    let mfa_delete = match doc.text_of("MfaDelete") {
        None => None,
        Some("Enabled") => Some(true),
        Some("Disabled") => Some(false),
        Some(_) => return Err(malformed()),
    };
    config::put_bucket_versioning(
        req.svc,
        &req.authn.caller,
        req.bucket()?,
        Versioning { status, mfa_delete },
    )?;
    Ok(req.empty(200))
}

/// `GET ?logging`.
pub(super) fn get_logging(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let l = config::get_bucket_logging(req.svc, &req.authn.caller, req.bucket()?)?;
    let doc = x::BucketLoggingStatus {
        ns: Ns,
        logging_enabled: l.map(|l| x::LoggingEnabled {
            target_bucket: l.target_bucket,
            target_prefix: l.target_prefix,
            target_object_key_format: l.key_format.map(|f| match f {
                KeyFormat::Simple => x::TargetObjectKeyFormat {
                    simple_prefix: Some(x::Empty {}),
                    partitioned_prefix: None,
                },
                KeyFormat::Partitioned(source) => x::TargetObjectKeyFormat {
                    simple_prefix: None,
                    partitioned_prefix: Some(x::PartitionedPrefix {
                        partition_date_source: source,
                    }),
                },
            }),
        }),
    };
    ok(req.request_id, "BucketLoggingStatus", &doc)
}

/// `PUT ?logging`: an empty `BucketLoggingStatus` turns logging off.
pub(super) fn put_logging(req: &Req<'_>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
    let doc = document(req, body, "BucketLoggingStatus")?;
    let logging = match doc.child("LoggingEnabled") {
        None => None,
        Some(l) => {
            if l.child("TargetGrants").is_some() {
                // Grants are ACLs, which buckets here do not carry.
                return Err(wire::not_implemented());
            }
            let key_format = match l.child("TargetObjectKeyFormat") {
                None => None,
                Some(f) if f.child("SimplePrefix").is_some() => Some(KeyFormat::Simple),
                Some(f) => match f.child("PartitionedPrefix") {
                    Some(p) => Some(KeyFormat::Partitioned(
                        p.text_of("PartitionDateSource").map(str::to_owned),
                    )),
                    None => return Err(malformed()),
                },
            };
            Some(Logging {
                target_bucket: l.text_of("TargetBucket").ok_or_else(malformed)?.to_owned(),
                target_prefix: l.text_of("TargetPrefix").unwrap_or("").to_owned(),
                key_format,
            })
        }
    };
    config::put_bucket_logging(req.svc, &req.authn.caller, req.bucket()?, logging)?;
    Ok(req.empty(200))
}

/// `GET ?encryption`.
pub(super) fn get_encryption(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let rules = config::get_bucket_encryption(req.svc, &req.authn.caller, req.bucket()?)?;
    let doc = x::ServerSideEncryptionConfiguration {
        ns: Ns,
        rules: rules
            .into_iter()
            .map(|r| x::EncryptionRule {
                apply_server_side_encryption_by_default: x::EncryptionByDefault {
                    sse_algorithm: r.sse_algorithm,
                    kms_master_key_id: r.kms_master_key_id,
                },
                bucket_key_enabled: r.bucket_key_enabled,
                blocked_encryption_types: (!r.blocked_encryption_types.is_empty()).then_some(
                    x::BlockedEncryptionTypes {
                        types: r.blocked_encryption_types,
                    },
                ),
            })
            .collect(),
    };
    ok(req.request_id, "ServerSideEncryptionConfiguration", &doc)
}

/// `PUT ?encryption`.
pub(super) fn put_encryption(req: &Req<'_>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
    let doc = document(req, body, "ServerSideEncryptionConfiguration")?;
    let rules = doc
        .all("Rule")
        .map(|r| {
            let by_default = r
                .child("ApplyServerSideEncryptionByDefault")
                .ok_or_else(malformed)?;
            Ok(EncryptionRule {
                sse_algorithm: by_default
                    .text_of("SSEAlgorithm")
                    .ok_or_else(malformed)?
                    .to_owned(),
                kms_master_key_id: by_default
                    .text_of("KMSMasterKeyID")
                    .filter(|k| !k.is_empty())
                    .map(str::to_owned),
                bucket_key_enabled: boolean(r.text_of("BucketKeyEnabled"))?,
                blocked_encryption_types: r
                    .child("BlockedEncryptionTypes")
                    .map(|b| b.all("EncryptionType").map(|t| t.text.clone()).collect())
                    .unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>, S3Fail>>()?;
    config::put_bucket_encryption(req.svc, &req.authn.caller, req.bucket()?, rules)?;
    Ok(req.empty(200))
}

/// `DELETE ?encryption`.
pub(super) fn delete_encryption(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    config::delete_bucket_encryption(req.svc, &req.authn.caller, req.bucket()?)?;
    Ok(no_content(req))
}

/// `GET ?acl`: the owner with `FULL_CONTROL`.
pub(super) fn get_acl(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let acl = config::get_bucket_acl(req.svc, &req.authn.caller, req.bucket()?)?;
    let doc = x::AccessControlPolicy {
        ns: Ns,
        owner: Owner {
            id: canonical_id(&acl.owner),
        },
        access_control_list: x::AccessControlList {
            grants: acl
                .grants
                .iter()
                .map(|(grantee, permission)| x::Grant {
                    grantee: x::Grantee::canonical_user(canonical_id(grantee)),
                    permission,
                })
                .collect(),
        },
    };
    ok(req.request_id, "AccessControlPolicy", &doc)
}

/// `GET ?tagging`.
pub(super) fn get_tagging(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let tags = config::get_bucket_tagging(req.svc, &req.authn.caller, req.bucket()?)?;
    let doc = x::Tagging {
        ns: Ns,
        tag_set: x::TagSet {
            tags: tags
                .into_iter()
                .map(|t| x::Tag {
                    key: t.key,
                    value: t.value,
                })
                .collect(),
        },
    };
    ok(req.request_id, "Tagging", &doc)
}

/// `PUT ?tagging` (204, as S3 answers).
pub(super) fn put_tagging(req: &Req<'_>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
    let doc = document(req, body, "Tagging")?;
    let set = doc.child("TagSet").ok_or_else(malformed)?;
    let tags = set
        .all("Tag")
        .map(|t| {
            Ok(Tag {
                key: t.text_of("Key").ok_or_else(malformed)?.to_owned(),
                value: t.text_of("Value").ok_or_else(malformed)?.to_owned(),
            })
        })
        .collect::<Result<Vec<_>, S3Fail>>()?;
    config::put_bucket_tagging(req.svc, &req.authn.caller, req.bucket()?, tags)?;
    Ok(no_content(req))
}

/// `DELETE ?tagging`.
pub(super) fn delete_tagging(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    config::delete_bucket_tagging(req.svc, &req.authn.caller, req.bucket()?)?;
    Ok(no_content(req))
}

fn redirect(n: &Node) -> Redirect {
    let t = |name: &str| n.text_of(name).map(str::to_owned);
    Redirect {
        host_name: t("HostName"),
        protocol: t("Protocol"),
        http_redirect_code: t("HttpRedirectCode"),
        replace_key_prefix_with: t("ReplaceKeyPrefixWith"),
        replace_key_with: t("ReplaceKeyWith"),
    }
}

fn redirect_xml(r: Redirect) -> x::Redirect {
    x::Redirect {
        host_name: r.host_name,
        http_redirect_code: r.http_redirect_code,
        protocol: r.protocol,
        replace_key_prefix_with: r.replace_key_prefix_with,
        replace_key_with: r.replace_key_with,
    }
}

/// `GET ?website`.
pub(super) fn get_website(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let w = config::get_bucket_website(req.svc, &req.authn.caller, req.bucket()?)?;
    let doc = x::WebsiteConfiguration {
        ns: Ns,
        redirect_all_requests_to: w.redirect_all_requests_to.map(|r| x::Redirect {
            host_name: r.host_name,
            protocol: r.protocol,
            ..x::Redirect::default()
        }),
        index_document: w.index_document.map(|suffix| x::IndexDocument { suffix }),
        error_document: w.error_document.map(|key| x::ErrorDocument { key }),
        routing_rules: (!w.routing_rules.is_empty()).then(|| x::RoutingRules {
            rules: w
                .routing_rules
                .into_iter()
                .map(|rule| x::RoutingRule {
                    condition: (rule.http_error_code_returned_equals.is_some()
                        || rule.key_prefix_equals.is_some())
                    .then_some(x::Condition {
                        http_error_code_returned_equals: rule.http_error_code_returned_equals,
                        key_prefix_equals: rule.key_prefix_equals,
                    }),
                    redirect: redirect_xml(rule.redirect),
                })
                .collect(),
        }),
    };
    ok(req.request_id, "WebsiteConfiguration", &doc)
}

/// `PUT ?website`.
pub(super) fn put_website(req: &Req<'_>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
    let doc = document(req, body, "WebsiteConfiguration")?;
    let index_document = match doc.child("IndexDocument") {
        Some(i) => Some(i.text_of("Suffix").ok_or_else(malformed)?.to_owned()),
        None => None,
    };
    let error_document = match doc.child("ErrorDocument") {
        Some(e) => Some(e.text_of("Key").ok_or_else(malformed)?.to_owned()),
        None => None,
    };
    let routing_rules = doc
        .child("RoutingRules")
        .map(|rules| {
            rules
                .all("RoutingRule")
                .map(|r| {
                    let condition = r.child("Condition");
                    Ok(RoutingRule {
                        http_error_code_returned_equals: condition
                            .and_then(|c| c.text_of("HttpErrorCodeReturnedEquals"))
                            .map(str::to_owned),
                        key_prefix_equals: condition
                            .and_then(|c| c.text_of("KeyPrefixEquals"))
                            .map(str::to_owned),
                        redirect: redirect(r.child("Redirect").ok_or_else(malformed)?),
                    })
                })
                .collect::<Result<Vec<_>, S3Fail>>()
        })
        .transpose()?
        .unwrap_or_default();
    let website = Website {
        index_document,
        error_document,
        redirect_all_requests_to: doc.child("RedirectAllRequestsTo").map(redirect),
        routing_rules,
    };
    config::put_bucket_website(req.svc, &req.authn.caller, req.bucket()?, website)?;
    Ok(req.empty(200))
}

/// `DELETE ?website`.
pub(super) fn delete_website(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    config::delete_bucket_website(req.svc, &req.authn.caller, req.bucket()?)?;
    Ok(no_content(req))
}

/// `GET ?publicAccessBlock`.
pub(super) fn get_public_access_block(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let p = config::get_public_access_block(req.svc, &req.authn.caller, req.bucket()?)?;
    let doc = x::PublicAccessBlockConfiguration {
        ns: Ns,
        block_public_acls: p.block_public_acls,
        ignore_public_acls: p.ignore_public_acls,
        block_public_policy: p.block_public_policy,
        restrict_public_buckets: p.restrict_public_buckets,
    };
    ok(req.request_id, "PublicAccessBlockConfiguration", &doc)
}

/// `PUT ?publicAccessBlock` (an absent setting is `false`).
pub(super) fn put_public_access_block(
    req: &Req<'_>,
    body: &[u8],
) -> Result<Response<Body>, S3Fail> {
    let doc = document(req, body, "PublicAccessBlockConfiguration")?;
    let get = |name: &str| boolean(doc.text_of(name)).map(Option::unwrap_or_default);
    let block = PublicAccessBlock {
        block_public_acls: get("BlockPublicAcls")?,
        ignore_public_acls: get("IgnorePublicAcls")?,
        block_public_policy: get("BlockPublicPolicy")?,
        restrict_public_buckets: get("RestrictPublicBuckets")?,
    };
    config::put_public_access_block(req.svc, &req.authn.caller, req.bucket()?, block)?;
    Ok(req.empty(200))
}

/// `DELETE ?publicAccessBlock`.
pub(super) fn delete_public_access_block(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    config::delete_public_access_block(req.svc, &req.authn.caller, req.bucket()?)?;
    Ok(no_content(req))
}

/// `GET ?ownershipControls`.
pub(super) fn get_ownership_controls(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    let o = config::get_bucket_ownership_controls(req.svc, &req.authn.caller, req.bucket()?)?;
    let doc = x::OwnershipControls {
        ns: Ns,
        rule: x::OwnershipRule {
            object_ownership: o.as_str(),
        },
    };
    ok(req.request_id, "OwnershipControls", &doc)
}

/// `PUT ?ownershipControls`: exactly one rule.
pub(super) fn put_ownership_controls(req: &Req<'_>, body: &[u8]) -> Result<Response<Body>, S3Fail> {
    let doc = document(req, body, "OwnershipControls")?;
    let rules: Vec<&Node> = doc.all("Rule").collect();
    let [rule] = rules.as_slice() else {
        return Err(malformed());
    };
    let o = rule
        .text_of("ObjectOwnership")
        .and_then(ObjectOwnership::from_name)
        .ok_or_else(malformed)?;
    config::put_bucket_ownership_controls(req.svc, &req.authn.caller, req.bucket()?, o)?;
    Ok(req.empty(200))
}

/// `DELETE ?ownershipControls`.
pub(super) fn delete_ownership_controls(req: &Req<'_>) -> Result<Response<Body>, S3Fail> {
    config::delete_bucket_ownership_controls(req.svc, &req.authn.caller, req.bucket()?)?;
    Ok(no_content(req))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn request_documents_read_into_a_tree() {
        let doc = br#"<?xml version="1.0" encoding="UTF-8"?>
<WebsiteConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <IndexDocument><Suffix>index.html</Suffix></IndexDocument>
  <RoutingRules><RoutingRule><Condition><KeyPrefixEquals>docs/</KeyPrefixEquals></Condition>
  <Redirect><ReplaceKeyPrefixWith>documents&amp;more/</ReplaceKeyPrefixWith></Redirect></RoutingRule></RoutingRules>
</WebsiteConfiguration>"#;
        let n = parse(doc, "WebsiteConfiguration").unwrap();
        assert_eq!(
            n.child("IndexDocument").unwrap().text_of("Suffix"),
            Some("index.html")
        );
        let rule = n
            .child("RoutingRules")
            .unwrap()
            .child("RoutingRule")
            .unwrap();
        assert_eq!(
            rule.child("Redirect")
                .unwrap()
                .text_of("ReplaceKeyPrefixWith"),
            Some("documents&more/")
        );
        assert!(parse(doc, "Tagging").is_err(), "wrong root");
        assert!(parse(b"<Tagging><TagSet></Tagging>", "Tagging").is_err());
        assert!(parse(b"<Tagging/><Tagging/>", "Tagging").is_err());
        assert!(parse(b"", "Tagging").is_err());
        let empty = parse(b"<BucketLoggingStatus xmlns=\"x\"/>", "BucketLoggingStatus").unwrap();
        assert!(empty.children.is_empty());
    }
}
