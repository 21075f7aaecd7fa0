//! The bucket configuration documents (`?versioning`, `?logging`,
//! `?encryption`, `?acl`, `?tagging`, `?website`, `?publicAccessBlock`,
//! `?ownershipControls`) as serde structs: the Get operations' answers, each
//! tested below against the exact bytes S3 sends (members in the model's
//! order), and the Put operations' documents ([`put`]).

use serde::Serialize;

pub mod put;

use super::{Ns, Owner};

/// `VersioningConfiguration` (GetBucketVersioning): empty for a bucket
/// whose versioning was never set.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VersioningConfiguration {
    /// The namespace.
    #[serde(rename = "@xmlns")]
    pub ns: Ns,
    /// `Enabled`, `Suspended`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    /// `Enabled`, `Disabled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_delete: Option<&'static str>,
}

/// `BucketLoggingStatus` (GetBucketLogging): empty when logging is off.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BucketLoggingStatus {
    /// The namespace.
    #[serde(rename = "@xmlns")]
    pub ns: Ns,
    /// Where logs go.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logging_enabled: Option<LoggingEnabled>,
}

/// `LoggingEnabled`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoggingEnabled {
    /// The bucket logs are written to.
    pub target_bucket: String,
    /// The prefix of their keys.
    pub target_prefix: String,
    /// How their keys are formed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_object_key_format: Option<TargetObjectKeyFormat>,
}

/// `TargetObjectKeyFormat`: one of its two members.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetObjectKeyFormat {
    /// `SimplePrefix` (an empty element).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simple_prefix: Option<Empty>,
    /// `PartitionedPrefix`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partitioned_prefix: Option<PartitionedPrefix>,
}

/// An element without content.
#[derive(Debug, Default, Serialize)]
pub struct Empty {}

/// `PartitionedPrefix`.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PartitionedPrefix {
    /// `EventTime`, `DeliveryTime`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition_date_source: Option<String>,
}

/// `ServerSideEncryptionConfiguration` (GetBucketEncryption).
#[derive(Debug, Serialize)]
pub struct ServerSideEncryptionConfiguration {
    /// The namespace.
    #[serde(rename = "@xmlns")]
    pub ns: Ns,
    /// The rules.
    #[serde(rename = "Rule")]
    pub rules: Vec<EncryptionRule>,
}

/// One `Rule` of default encryption.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EncryptionRule {
    /// The default.
    pub apply_server_side_encryption_by_default: EncryptionByDefault,
    /// S3 Bucket Keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket_key_enabled: Option<bool>,
    /// Encryption types refused on writes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked_encryption_types: Option<BlockedEncryptionTypes>,
}

/// `ApplyServerSideEncryptionByDefault`.
#[derive(Debug, Serialize)]
pub struct EncryptionByDefault {
    /// `AES256`, `aws:kms`, `aws:kms:dsse`.
    #[serde(rename = "SSEAlgorithm")]
    pub sse_algorithm: String,
    /// The KMS key.
    #[serde(rename = "KMSMasterKeyID", skip_serializing_if = "Option::is_none")]
    pub kms_master_key_id: Option<String>,
}

/// `BlockedEncryptionTypes`.
#[derive(Debug, Serialize)]
pub struct BlockedEncryptionTypes {
    /// `NONE`, `SSE-C`.
    #[serde(rename = "EncryptionType")]
    pub types: Vec<String>,
}

/// `AccessControlPolicy` (GetBucketAcl).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessControlPolicy {
    /// The namespace.
    #[serde(rename = "@xmlns")]
    pub ns: Ns,
    /// The bucket's owner.
    pub owner: Owner,
    /// The grants.
    pub access_control_list: AccessControlList,
}

/// `AccessControlList`.
#[derive(Debug, Serialize)]
pub struct AccessControlList {
    /// One `Grant` each.
    #[serde(rename = "Grant")]
    pub grants: Vec<Grant>,
}

/// `Grant`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Grant {
    /// Who.
    pub grantee: Grantee,
    /// `FULL_CONTROL`, `READ`, ….
    pub permission: &'static str,
}

/// `Grantee`, a canonical user (typed with `xsi:type`, as S3 writes it).
#[derive(Debug, Serialize)]
pub struct Grantee {
    /// `xmlns:xsi`.
    #[serde(rename = "@xmlns:xsi")]
    pub xmlns_xsi: &'static str,
    /// `xsi:type`.
    #[serde(rename = "@xsi:type")]
    pub xsi_type: &'static str,
    /// The canonical user id.
    #[serde(rename = "ID")]
    pub id: String,
}

impl Grantee {
    /// A canonical user.
    pub fn canonical_user(id: String) -> Grantee {
        Grantee {
            xmlns_xsi: "http://www.w3.org/2001/XMLSchema-instance",
            xsi_type: "CanonicalUser",
            id,
        }
    }
}

/// `Tagging` (GetBucketTagging).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tagging {
    /// The namespace.
    #[serde(rename = "@xmlns")]
    pub ns: Ns,
    /// The tags.
    pub tag_set: TagSet,
}

/// `TagSet`.
#[derive(Debug, Serialize)]
pub struct TagSet {
    /// One `Tag` each.
    #[serde(rename = "Tag")]
    pub tags: Vec<Tag>,
}

/// `Tag`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// Its key.
    pub key: String,
    /// Its value.
    pub value: String,
}

/// `WebsiteConfiguration` (GetBucketWebsite).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct WebsiteConfiguration {
    /// The namespace.
    #[serde(rename = "@xmlns")]
    pub ns: Ns,
    /// Every request redirected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_all_requests_to: Option<Redirect>,
    /// `IndexDocument`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_document: Option<IndexDocument>,
    /// `ErrorDocument`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_document: Option<ErrorDocument>,
    /// `RoutingRules`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routing_rules: Option<RoutingRules>,
}

/// `IndexDocument`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IndexDocument {
    /// `index.html`.
    pub suffix: String,
}

/// `ErrorDocument`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorDocument {
    /// The key answered on errors.
    pub key: String,
}

/// `RoutingRules`.
#[derive(Debug, Serialize)]
pub struct RoutingRules {
    /// One `RoutingRule` each.
    #[serde(rename = "RoutingRule")]
    pub rules: Vec<RoutingRule>,
}

/// `RoutingRule`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoutingRule {
    /// When it applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// Where it sends.
    pub redirect: Redirect,
}

/// `Condition`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Condition {
    /// An error code answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_error_code_returned_equals: Option<String>,
    /// A key prefix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_prefix_equals: Option<String>,
}

/// `Redirect` and `RedirectAllRequestsTo` (which has only the host name
/// and protocol).
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Redirect {
    /// The host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_name: Option<String>,
    /// `301`, `302`, ….
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_redirect_code: Option<String>,
    /// `http`, `https`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// A prefix replacing the matched one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replace_key_prefix_with: Option<String>,
    /// A key replacing the requested one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replace_key_with: Option<String>,
}

/// `PublicAccessBlockConfiguration` (GetPublicAccessBlock).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublicAccessBlockConfiguration {
    /// The namespace.
    #[serde(rename = "@xmlns")]
    pub ns: Ns,
    /// `BlockPublicAcls`.
    pub block_public_acls: bool,
    /// `IgnorePublicAcls`.
    pub ignore_public_acls: bool,
    /// `BlockPublicPolicy`.
    pub block_public_policy: bool,
    /// `RestrictPublicBuckets`.
    pub restrict_public_buckets: bool,
}

/// `OwnershipControls` (GetBucketOwnershipControls): one rule.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OwnershipControls {
    /// The namespace.
    #[serde(rename = "@xmlns")]
    pub ns: Ns,
    /// The rule.
    pub rule: OwnershipRule,
}

/// `Rule` of `OwnershipControls`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OwnershipRule {
    /// `BucketOwnerEnforced`, `BucketOwnerPreferred`, `ObjectWriter`.
    pub object_ownership: &'static str,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::to_string;
    use super::*;

    const XMLNS: &str = r#" xmlns="http://s3.amazonaws.com/doc/2006-03-01/""#;

    fn doc<T: Serialize>(root: &str, d: &T) -> String {
        let s = to_string(root, d).unwrap();
        s.split_once('\n').unwrap().1.to_owned()
    }

    #[test]
    fn versioning_is_empty_until_set() {
        assert_eq!(
            doc(
                "VersioningConfiguration",
                &VersioningConfiguration::default()
            ),
            format!("<VersioningConfiguration{XMLNS}></VersioningConfiguration>")
        );
        let d = VersioningConfiguration {
            ns: Ns,
            status: Some("Enabled"),
            mfa_delete: Some("Disabled"),
        };
        assert_eq!(
            doc("VersioningConfiguration", &d),
            format!(
                "<VersioningConfiguration{XMLNS}><Status>Enabled</Status><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>"
            )
        );
    }

    #[test]
    fn logging_status_is_written_as_s3_writes_it() {
        assert_eq!(
            doc("BucketLoggingStatus", &BucketLoggingStatus::default()),
            format!("<BucketLoggingStatus{XMLNS}></BucketLoggingStatus>")
        );
        let d = BucketLoggingStatus {
            ns: Ns,
            logging_enabled: Some(LoggingEnabled {
                target_bucket: "logs".into(),
                target_prefix: String::new(),
                target_object_key_format: Some(TargetObjectKeyFormat {
                    partitioned_prefix: Some(PartitionedPrefix {
                        partition_date_source: Some("EventTime".into()),
                    }),
                    ..TargetObjectKeyFormat::default()
                }),
            }),
        };
        assert_eq!(
            doc("BucketLoggingStatus", &d),
            format!(
                "<BucketLoggingStatus{XMLNS}><LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix></TargetPrefix><TargetObjectKeyFormat><PartitionedPrefix><PartitionDateSource>EventTime</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>"
            )
        );
        let simple = TargetObjectKeyFormat {
            simple_prefix: Some(Empty {}),
            ..TargetObjectKeyFormat::default()
        };
        assert_eq!(
            doc("TargetObjectKeyFormat", &simple),
            "<TargetObjectKeyFormat><SimplePrefix></SimplePrefix></TargetObjectKeyFormat>"
        );
    }

    #[test]
    fn encryption_is_written_as_s3_writes_it() {
        let d = ServerSideEncryptionConfiguration {
            ns: Ns,
            rules: vec![EncryptionRule {
                apply_server_side_encryption_by_default: EncryptionByDefault {
                    sse_algorithm: "aws:kms".into(),
                    kms_master_key_id: Some("k1".into()),
                },
                bucket_key_enabled: Some(true),
                blocked_encryption_types: Some(BlockedEncryptionTypes {
                    types: vec!["SSE-C".into()],
                }),
            }],
        };
        assert_eq!(
            doc("ServerSideEncryptionConfiguration", &d),
            format!(
                "<ServerSideEncryptionConfiguration{XMLNS}><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>k1</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled><BlockedEncryptionTypes><EncryptionType>SSE-C</EncryptionType></BlockedEncryptionTypes></Rule></ServerSideEncryptionConfiguration>"
            )
        );
    }

    #[test]
    fn acl_names_the_owner_as_a_typed_canonical_user() {
        let d = AccessControlPolicy {
            ns: Ns,
            owner: Owner { id: "ab".into() },
            access_control_list: AccessControlList {
                grants: vec![Grant {
                    grantee: Grantee::canonical_user("ab".into()),
                    permission: "FULL_CONTROL",
                }],
            },
        };
        assert_eq!(
            doc("AccessControlPolicy", &d),
            format!(
                "<AccessControlPolicy{XMLNS}><Owner><ID>ab</ID></Owner><AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>ab</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>"
            )
        );
    }

    #[test]
    fn tagging_website_public_access_block_and_ownership_are_written_as_s3_writes_them() {
        let d = Tagging {
            ns: Ns,
            tag_set: TagSet {
                tags: vec![Tag {
                    key: "team".into(),
                    value: "a<b".into(),
                }],
            },
        };
        assert_eq!(
            doc("Tagging", &d),
            format!(
                "<Tagging{XMLNS}><TagSet><Tag><Key>team</Key><Value>a&lt;b</Value></Tag></TagSet></Tagging>"
            )
        );
        let d = WebsiteConfiguration {
            ns: Ns,
            redirect_all_requests_to: None,
            index_document: Some(IndexDocument {
                suffix: "index.html".into(),
            }),
            error_document: Some(ErrorDocument {
                key: "error.html".into(),
            }),
            routing_rules: Some(RoutingRules {
                rules: vec![RoutingRule {
                    condition: Some(Condition {
                        http_error_code_returned_equals: None,
                        key_prefix_equals: Some("docs/".into()),
                    }),
                    redirect: Redirect {
                        replace_key_prefix_with: Some("documents/".into()),
                        ..Redirect::default()
                    },
                }],
            }),
        };
        assert_eq!(
            doc("WebsiteConfiguration", &d),
            format!(
                "<WebsiteConfiguration{XMLNS}><IndexDocument><Suffix>index.html</Suffix></IndexDocument><ErrorDocument><Key>error.html</Key></ErrorDocument><RoutingRules><RoutingRule><Condition><KeyPrefixEquals>docs/</KeyPrefixEquals></Condition><Redirect><ReplaceKeyPrefixWith>documents/</ReplaceKeyPrefixWith></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>"
            )
        );
        let d = PublicAccessBlockConfiguration {
            ns: Ns,
            block_public_acls: true,
            ignore_public_acls: false,
            block_public_policy: true,
            restrict_public_buckets: false,
        };
        assert_eq!(
            doc("PublicAccessBlockConfiguration", &d),
            format!(
                "<PublicAccessBlockConfiguration{XMLNS}><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>false</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>false</RestrictPublicBuckets></PublicAccessBlockConfiguration>"
            )
        );
        let d = OwnershipControls {
            ns: Ns,
            rule: OwnershipRule {
                object_ownership: "BucketOwnerEnforced",
            },
        };
        assert_eq!(
            doc("OwnershipControls", &d),
            format!(
                "<OwnershipControls{XMLNS}><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>"
            )
        );
    }
}
