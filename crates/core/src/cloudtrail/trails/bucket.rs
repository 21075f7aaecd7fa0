//! Where a trail delivers: the key prefix of its log files and whether the
//! bucket's policy lets CloudTrail write there. Split from the trail
//! operations in `cloudtrail/trails.rs`.

use super::*;

/// The key a trail writes its log files under, up to the region:
/// `[PREFIX/]AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/`.
pub fn log_prefix(trail: &Trail, account: &str, region: &str) -> String {
    let mut k = String::new();
    if let Some(p) = trail.s3_key_prefix.as_deref().filter(|p| !p.is_empty()) {
        k.push_str(p.trim_end_matches('/'));
        k.push('/');
    }
    k.push_str("AWSLogs/");
    if let Some(org) = &trail.organization {
        k.push_str(org);
        k.push('/');
    }
    k.push_str(account);
    k.push_str("/CloudTrail/");
    k.push_str(region);
    k.push('/');
    k
}

/// Why CloudTrail could not write to a trail's bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryRefused {
    /// The bucket does not exist.
    NoSuchBucket,
    /// Its policy does not allow it.
    AccessDenied,
}

/// Whether the bucket policy lets CloudTrail (`cloudtrail.amazonaws.com`)
/// write `key` into the trail's bucket and read the bucket's ACL, with the
/// context CloudTrail sends: `aws:SourceArn` (the trail), `aws:SourceAccount`,
/// `aws:SourceOrgID` (organization trails) and `s3:x-amz-acl`
/// `bucket-owner-full-control` (AWS's documented bucket policy for trails).
pub fn bucket_allows(state: &State, trail: &Trail, key: &str) -> Result<(), DeliveryRefused> {
    let bucket = state
        .s3
        .buckets
        .get(&trail.s3_bucket)
        .ok_or(DeliveryRefused::NoSuchBucket)?;
    let policy = state.s3.policies.get(&trail.s3_bucket);
    let principal = Principal::service(SERVICE_PRINCIPAL);
    let arn = trail.arn();
    let mut ctx = Context::new();
    ctx.set("aws:SourceArn", arn.clone())
        .set("aws:SourceAccount", trail.account.clone())
        .set("aws:ResourceAccount", bucket.owner.clone())
        .set("s3:x-amz-acl", "bucket-owner-full-control".to_owned());
    if let Some(org) = &trail.organization {
        ctx.set("aws:SourceOrgID", org.clone());
    }
    let ctx = ctx.with_principal(&principal);
    let allowed = |action: &str, resource: &str| {
        let req = Request {
            principal: &principal,
            action,
            resource,
            context: &ctx,
        };
        let policies = Policies {
            identity: &[],
            resource: policy,
            resource_owner: Some(&bucket.owner),
            permissions_boundary: None,
            session: &[],
            task_policy: None,
            scp_levels: None,
            skip_resource_policy_denies: false,
            require_resource_grant: true,
        };
        evaluate(&req, &policies).is_allowed()
    };
    let object = crate::ident::Arn::object(&trail.s3_bucket, key).to_string();
    if allowed("s3:GetBucketAcl", &bucket.arn()) && allowed("s3:PutObject", &object) {
        Ok(())
    } else {
        Err(DeliveryRefused::AccessDenied)
    }
}
