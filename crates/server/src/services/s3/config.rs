//! Bucket configuration over REST-XML: `?versioning`, `?logging`,
//! `?encryption`, `?acl` (GET), `?tagging`, `?website`,
//! `?publicAccessBlock`, `?ownershipControls`. Request documents are read
//! into the serde structs of [`super::xml::config::put`] and mapped onto
//! the domain's types (`rootward_core::s3::config`); answers are the serde
//! structs of [`super::xml::config`].

use axum::body::Body;
use axum::http::Response;
use rootward_core::s3::config::{
    self, EncryptionRule, KeyFormat, Logging, ObjectOwnership, PublicAccessBlock, Redirect,
    RoutingRule, Tag, Versioning, VersioningStatus, Website,
};
use serde::de::DeserializeOwned;

use super::documents::malformed_xml as malformed;
use super::wire::{self, S3Fail};
use super::xml::config::{self as x, put};
use super::xml::{Ns, Owner, ok};
use super::{Req, canonical_id};

/// A request document whose root element must be `root`: the strict
/// reader checks the XML ([`super::documents::checked`]), serde reads its
/// members (any failure is `MalformedXML`).
fn document<T: DeserializeOwned>(req: &Req<'_>, body: &[u8], root: &str) -> Result<T, S3Fail> {
    let data = wire::payload(req.parts, body, req.authn.chunks.as_ref())?;
    super::documents::checked(&data, root)?;
    let text = std::str::from_utf8(&data).map_err(|_| malformed())?;
    super::xml::from_str(text)
}

/// A text member, trimmed.
fn text(t: Option<String>) -> Option<String> {
    t.map(|t| t.trim().to_owned())
}

/// A boolean member, in any case.
fn boolean(t: Option<&str>) -> Result<Option<bool>, S3Fail> {
    match t.map(str::trim) {
        None => Ok(None),
        Some(t) if t.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(t) if t.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(_) => Err(malformed()),
    }
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
    let doc: put::VersioningConfiguration = document(req, body, "VersioningConfiguration")?;
    let status = match text(doc.status).as_deref() {
        None => None,
        Some("Enabled") => Some(VersioningStatus::Enabled),
        Some("Suspended") => Some(VersioningStatus::Suspended),
        Some(_) => return Err(malformed()),
    };
    let mfa_delete = match text(doc.mfa_delete).as_deref() {
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
    let doc: put::BucketLoggingStatus = document(req, body, "BucketLoggingStatus")?;
    let logging = match doc.logging_enabled {
        None => None,
        Some(l) => {
            if l.target_grants.is_some() {
                // Grants are ACLs, which buckets here do not carry.
                return Err(wire::not_implemented());
            }
            let key_format = match l.target_object_key_format {
                None => None,
                Some(f) if f.simple_prefix.is_some() => Some(KeyFormat::Simple),
                Some(f) => match f.partitioned_prefix {
                    Some(p) => Some(KeyFormat::Partitioned(text(p.partition_date_source))),
                    None => return Err(malformed()),
                },
            };
            Some(Logging {
                target_bucket: text(l.target_bucket).ok_or_else(malformed)?,
                target_prefix: text(l.target_prefix).unwrap_or_default(),
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
    let doc: put::ServerSideEncryptionConfiguration =
        document(req, body, "ServerSideEncryptionConfiguration")?;
    let rules = doc
        .rules
        .into_iter()
        .map(|r| {
            let by_default = r
                .apply_server_side_encryption_by_default
                .ok_or_else(malformed)?;
            Ok(EncryptionRule {
                sse_algorithm: text(by_default.sse_algorithm).ok_or_else(malformed)?,
                kms_master_key_id: text(by_default.kms_master_key_id).filter(|k| !k.is_empty()),
                bucket_key_enabled: boolean(r.bucket_key_enabled.as_deref())?,
                blocked_encryption_types: r
                    .blocked_encryption_types
                    .map(|b| b.types.into_iter().map(|t| t.trim().to_owned()).collect())
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
    let doc: put::Tagging = document(req, body, "Tagging")?;
    let tags = doc
        .tag_set
        .ok_or_else(malformed)?
        .tags
        .into_iter()
        .map(|t| {
            let member = |m: Option<put::Text>| m.map(|m| m.text.trim().to_owned());
            Ok(Tag {
                key: member(t.key).ok_or_else(malformed)?,
                value: member(t.value).ok_or_else(malformed)?,
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

fn redirect(r: put::Redirect) -> Redirect {
    Redirect {
        host_name: text(r.host_name),
        protocol: text(r.protocol),
        http_redirect_code: text(r.http_redirect_code),
        replace_key_prefix_with: text(r.replace_key_prefix_with),
        replace_key_with: text(r.replace_key_with),
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
    let doc: put::WebsiteConfiguration = document(req, body, "WebsiteConfiguration")?;
    let index_document = match doc.index_document {
        Some(i) => Some(text(i.suffix).ok_or_else(malformed)?),
        None => None,
    };
    let error_document = match doc.error_document {
        Some(e) => Some(text(e.key).ok_or_else(malformed)?),
        None => None,
    };
    let routing_rules = doc
        .routing_rules
        .map(|rules| {
            rules
                .rules
                .into_iter()
                .map(|r| {
                    let condition = r.condition.unwrap_or_default();
                    Ok(RoutingRule {
                        http_error_code_returned_equals: text(
                            condition.http_error_code_returned_equals,
                        ),
                        key_prefix_equals: text(condition.key_prefix_equals),
                        redirect: redirect(r.redirect.ok_or_else(malformed)?),
                    })
                })
                .collect::<Result<Vec<_>, S3Fail>>()
        })
        .transpose()?
        .unwrap_or_default();
    let website = Website {
        index_document,
        error_document,
        redirect_all_requests_to: doc.redirect_all_requests_to.map(redirect),
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
    let doc: put::PublicAccessBlockConfiguration =
        document(req, body, "PublicAccessBlockConfiguration")?;
    let get = |v: Option<String>| boolean(v.as_deref()).map(Option::unwrap_or_default);
    let block = PublicAccessBlock {
        block_public_acls: get(doc.block_public_acls)?,
        ignore_public_acls: get(doc.ignore_public_acls)?,
        block_public_policy: get(doc.block_public_policy)?,
        restrict_public_buckets: get(doc.restrict_public_buckets)?,
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
    let doc: put::OwnershipControls = document(req, body, "OwnershipControls")?;
    let [rule] = doc.rules.as_slice() else {
        return Err(malformed());
    };
    let o = rule
        .object_ownership
        .as_deref()
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
