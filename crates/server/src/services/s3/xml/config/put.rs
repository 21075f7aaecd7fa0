//! The request documents of the Put bucket configuration operations, read
//! through serde after [`crate::services::s3::documents`]'s strict reader
//! accepted the XML. As S3 reads them, members this endpoint does not know
//! are ignored (each handler refuses what it must: `TargetGrants` is
//! `NotImplemented`); a member repeated where one is expected, or a value
//! of the wrong type, is `MalformedXML`. Values are text here; the handlers
//! check them (`Enabled`/`Suspended`, booleans in any case).

use serde::Deserialize;

pub use super::super::{Ignored, Text};

/// `VersioningConfiguration`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VersioningConfiguration {
    /// `Enabled`, `Suspended`.
    #[serde(default)]
    pub status: Option<String>,
    /// `Enabled`, `Disabled`.
    #[serde(default)]
    pub mfa_delete: Option<String>,
}

/// `BucketLoggingStatus`: without `LoggingEnabled`, logging off.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BucketLoggingStatus {
    /// Where logs go.
    #[serde(default)]
    pub logging_enabled: Option<LoggingEnabled>,
}

/// `LoggingEnabled`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoggingEnabled {
    /// Required.
    #[serde(default)]
    pub target_bucket: Option<String>,
    /// `""` when absent.
    #[serde(default)]
    pub target_prefix: Option<String>,
    /// ACL grants (not served: their presence is what counts).
    #[serde(default)]
    pub target_grants: Option<Ignored>,
    /// How log keys are formed.
    #[serde(default)]
    pub target_object_key_format: Option<TargetObjectKeyFormat>,
}

/// `TargetObjectKeyFormat`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetObjectKeyFormat {
    /// `SimplePrefix` (an empty element).
    #[serde(default)]
    pub simple_prefix: Option<Ignored>,
    /// `PartitionedPrefix`.
    #[serde(default)]
    pub partitioned_prefix: Option<PartitionedPrefix>,
}

/// `PartitionedPrefix`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PartitionedPrefix {
    /// `EventTime`, `DeliveryTime`.
    #[serde(default)]
    pub partition_date_source: Option<String>,
}

/// `ServerSideEncryptionConfiguration`.
#[derive(Debug, Default, Deserialize)]
pub struct ServerSideEncryptionConfiguration {
    /// The rules.
    #[serde(rename = "Rule", default)]
    pub rules: Vec<EncryptionRule>,
}

/// `Rule`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EncryptionRule {
    /// Required.
    #[serde(default)]
    pub apply_server_side_encryption_by_default: Option<EncryptionByDefault>,
    /// `true`, `false`.
    #[serde(default)]
    pub bucket_key_enabled: Option<String>,
    /// Encryption types refused on writes.
    #[serde(default)]
    pub blocked_encryption_types: Option<BlockedEncryptionTypes>,
}

/// `ApplyServerSideEncryptionByDefault`.
#[derive(Debug, Default, Deserialize)]
pub struct EncryptionByDefault {
    /// Required.
    #[serde(rename = "SSEAlgorithm", default)]
    pub sse_algorithm: Option<String>,
    /// The KMS key (empty: none).
    #[serde(rename = "KMSMasterKeyID", default)]
    pub kms_master_key_id: Option<String>,
}

/// `BlockedEncryptionTypes`.
#[derive(Debug, Default, Deserialize)]
pub struct BlockedEncryptionTypes {
    /// `NONE`, `SSE-C`.
    #[serde(rename = "EncryptionType", default)]
    pub types: Vec<String>,
}

/// `Tagging`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tagging {
    /// Required.
    #[serde(default)]
    pub tag_set: Option<TagSet>,
}

/// `TagSet`.
#[derive(Debug, Default, Deserialize)]
pub struct TagSet {
    /// The tags.
    #[serde(rename = "Tag", default)]
    pub tags: Vec<Tag>,
}

/// `Tag`: both members required (a value may be empty).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// The key.
    #[serde(default)]
    pub key: Option<Text>,
    /// The value.
    #[serde(default)]
    pub value: Option<Text>,
}

/// `WebsiteConfiguration`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WebsiteConfiguration {
    /// `Suffix` required.
    #[serde(default)]
    pub index_document: Option<IndexDocument>,
    /// `Key` required.
    #[serde(default)]
    pub error_document: Option<ErrorDocument>,
    /// Every request redirected.
    #[serde(default)]
    pub redirect_all_requests_to: Option<Redirect>,
    /// The rules.
    #[serde(default)]
    pub routing_rules: Option<RoutingRules>,
}

/// `IndexDocument`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IndexDocument {
    /// `index.html`.
    #[serde(default)]
    pub suffix: Option<String>,
}

/// `ErrorDocument`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorDocument {
    /// The key answered on errors.
    #[serde(default)]
    pub key: Option<String>,
}

/// `RoutingRules`.
#[derive(Debug, Default, Deserialize)]
pub struct RoutingRules {
    /// The rules.
    #[serde(rename = "RoutingRule", default)]
    pub rules: Vec<RoutingRule>,
}

/// `RoutingRule`: `Redirect` required.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoutingRule {
    /// When it applies.
    #[serde(default)]
    pub condition: Option<Condition>,
    /// Where it sends.
    #[serde(default)]
    pub redirect: Option<Redirect>,
}

/// `Condition`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Condition {
    /// An error code answered.
    #[serde(default)]
    pub http_error_code_returned_equals: Option<String>,
    /// A key prefix.
    #[serde(default)]
    pub key_prefix_equals: Option<String>,
}

/// `Redirect`, `RedirectAllRequestsTo`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Redirect {
    /// The host.
    #[serde(default)]
    pub host_name: Option<String>,
    /// `301`, `302`, ….
    #[serde(default)]
    pub http_redirect_code: Option<String>,
    /// `http`, `https`.
    #[serde(default)]
    pub protocol: Option<String>,
    /// A prefix replacing the matched one.
    #[serde(default)]
    pub replace_key_prefix_with: Option<String>,
    /// A key replacing the requested one.
    #[serde(default)]
    pub replace_key_with: Option<String>,
}

/// `PublicAccessBlockConfiguration`: an absent setting is `false`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublicAccessBlockConfiguration {
    /// `BlockPublicAcls`.
    #[serde(default)]
    pub block_public_acls: Option<String>,
    /// `IgnorePublicAcls`.
    #[serde(default)]
    pub ignore_public_acls: Option<String>,
    /// `BlockPublicPolicy`.
    #[serde(default)]
    pub block_public_policy: Option<String>,
    /// `RestrictPublicBuckets`.
    #[serde(default)]
    pub restrict_public_buckets: Option<String>,
}

/// `OwnershipControls`: exactly one rule.
#[derive(Debug, Default, Deserialize)]
pub struct OwnershipControls {
    /// The rules.
    #[serde(rename = "Rule", default)]
    pub rules: Vec<OwnershipRule>,
}

/// `Rule`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OwnershipRule {
    /// `BucketOwnerEnforced`, `BucketOwnerPreferred`, `ObjectWriter`.
    #[serde(default)]
    pub object_ownership: Option<String>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::super::from_str;
    use super::*;

    #[test]
    fn tags_keep_empty_values_and_tell_them_from_absent_ones() {
        let t: Tagging = from_str(
            r#"<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>a</Key><Value></Value></Tag><Tag><Key>b</Key><Value/></Tag><Tag><Key>c</Key></Tag><Tag><Key>d</Key><Value> x &amp; y </Value></Tag></TagSet></Tagging>"#,
        )
        .unwrap();
        let got: Vec<_> = t
            .tag_set
            .unwrap()
            .tags
            .into_iter()
            .map(|t| (t.key.map(|k| k.text), t.value.map(|v| v.text)))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("a".into()), Some(String::new())),
                (Some("b".into()), Some(String::new())),
                (Some("c".into()), None),
                (Some("d".into()), Some(" x & y ".into())),
            ]
        );
    }

    #[test]
    fn indented_documents_read_as_compact_ones() {
        let t: Tagging = from_str(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Tagging>\n  <TagSet>\n    <Tag>\n      <Key>k</Key>\n      <Value>v</Value>\n    </Tag>\n  </TagSet>\n</Tagging>\n",
        )
        .unwrap();
        let tag = t.tag_set.unwrap().tags.into_iter().next().unwrap();
        assert_eq!(
            (tag.key.unwrap().text, tag.value.unwrap().text),
            ("k".to_owned(), "v".to_owned())
        );
        let p: PublicAccessBlockConfiguration = from_str(
            "<PublicAccessBlockConfiguration>\n\t<BlockPublicAcls>true</BlockPublicAcls>\n</PublicAccessBlockConfiguration>",
        )
        .unwrap();
        assert_eq!(p.block_public_acls.as_deref(), Some("true"));
        let c: super::super::super::CompleteMultipartUpload = from_str(
            "<CompleteMultipartUpload>\n  <Part>\n    <PartNumber>1</PartNumber>\n    <ETag>\"e\"</ETag>\n  </Part>\n</CompleteMultipartUpload>",
        )
        .unwrap();
        assert_eq!(c.parts.len(), 1);
    }

    #[test]
    fn website_and_logging_documents_read_nested_members() {
        let w: WebsiteConfiguration = from_str(
            r#"<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument><RoutingRules><RoutingRule><Condition><KeyPrefixEquals>docs/</KeyPrefixEquals></Condition><Redirect><ReplaceKeyPrefixWith>documents&amp;more/</ReplaceKeyPrefixWith></Redirect></RoutingRule></RoutingRules><Unknown>ignored</Unknown></WebsiteConfiguration>"#,
        )
        .unwrap();
        assert_eq!(
            w.index_document.unwrap().suffix.as_deref(),
            Some("index.html")
        );
        let rule = w.routing_rules.unwrap().rules.into_iter().next().unwrap();
        assert_eq!(
            rule.redirect.unwrap().replace_key_prefix_with.as_deref(),
            Some("documents&more/")
        );
        let l: BucketLoggingStatus = from_str(
            "<BucketLoggingStatus><LoggingEnabled><TargetBucket>logs</TargetBucket><TargetObjectKeyFormat><SimplePrefix/></TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>",
        )
        .unwrap();
        let enabled = l.logging_enabled.unwrap();
        assert_eq!(enabled.target_bucket.as_deref(), Some("logs"));
        assert!(enabled.target_prefix.is_none());
        let format = enabled.target_object_key_format.unwrap();
        assert!(format.simple_prefix.is_some() && format.partitioned_prefix.is_none());
        let off: BucketLoggingStatus = from_str("<BucketLoggingStatus/>").unwrap();
        assert!(off.logging_enabled.is_none());
        assert!(
            from_str::<VersioningConfiguration>(
                "<VersioningConfiguration><Status>Enabled</Status><Status>Suspended</Status></VersioningConfiguration>"
            )
            .is_err()
        );
    }
}
