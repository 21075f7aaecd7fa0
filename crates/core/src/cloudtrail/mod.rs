//! CloudTrail trails as configuration (issue 14 §3): `CreateTrail`,
//! `DescribeTrails`, `GetTrail`, `GetTrailStatus`, `StartLogging`,
//! `StopLogging`, `GetEventSelectors`, `PutEventSelectors`, `DeleteTrail`,
//! `ListTrails`, `UpdateTrail`, the tags of a trail (`AddTags`,
//! `RemoveTags`, `ListTags`), `Get`/`PutInsightSelectors` (Insights are never
//! enabled), organization trails seen by member accounts, and the
//! delivery of a logging trail's events to its S3 bucket as gzipped JSON
//! log files ([`delivery`]).
//!
//! The event history itself (`LookupEvents`) is [`crate::trail`]; a trail
//! reads it to deliver. Trails are regional: a trail lives in its home
//! region, a multi-region trail also shows (as a "shadow trail") in every
//! other region, and is changed only from its home region.

pub mod delivery;
pub mod model;
pub mod trails;

/// A CloudTrail failure, named as CloudTrail names it (each is an exception
/// shape of the model, answered with HTTP 400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CloudTrailError {
    /// No trail of that name (or ARN) is visible to the caller.
    #[error("{0}")]
    TrailNotFound(String),
    /// A trail of that name exists in the account and region.
    #[error("{0}")]
    TrailAlreadyExists(String),
    /// The name breaks the naming rules.
    #[error("{0}")]
    InvalidTrailName(String),
    /// A trail ARN that does not parse.
    #[error("{0}")]
    CloudTrailArnInvalid(String),
    /// The bucket does not exist.
    #[error("{0}")]
    S3BucketDoesNotExist(String),
    /// The bucket policy does not let CloudTrail write log files.
    #[error("{0}")]
    InsufficientS3BucketPolicy(String),
    /// The key prefix is not valid.
    #[error("{0}")]
    InvalidS3Prefix(String),
    /// The bucket name is not valid.
    #[error("{0}")]
    InvalidS3BucketName(String),
    /// A change asked outside the trail's home region.
    #[error("{0}")]
    InvalidHomeRegion(String),
    /// Five trails already exist in the region.
    #[error("{0}")]
    MaximumNumberOfTrailsExceeded(String),
    /// An organization trail change from outside the management account.
    #[error("{0}")]
    NotOrganizationMasterAccount(String),
    /// The account is in no organization.
    #[error("{0}")]
    OrganizationsNotInUse(String),
    /// The organization has only consolidated billing.
    #[error("{0}")]
    OrganizationNotInAllFeaturesMode(String),
    /// Trusted access for CloudTrail is not enabled in Organizations.
    #[error("{0}")]
    CloudTrailAccessNotEnabled(String),
    /// Event selectors that break the rules.
    #[error("{0}")]
    InvalidEventSelectors(String),
    /// Parameters that do not go together.
    #[error("{0}")]
    InvalidParameterCombination(String),
    /// A parameter that is not valid.
    #[error("{0}")]
    InvalidParameter(String),
    /// A tag that is not valid.
    #[error("{0}")]
    InvalidTagParameter(String),
    /// No trail of that ARN (the tag operations' answer).
    #[error("{0}")]
    ResourceNotFound(String),
    /// More than 50 tags on a trail.
    #[error("{0}")]
    TagsLimitExceeded(String),
    /// `GetInsightSelectors` on a trail without Insights (every trail here).
    #[error("{0}")]
    InsightNotEnabled(String),
    /// A `NextToken` this endpoint never handed out.
    #[error("{0}")]
    InvalidToken(String),
    /// A feature CloudTrail has and this endpoint does not (SNS topics,
    /// CloudWatch Logs, KMS encryption, log file validation digests).
    #[error("{0}")]
    UnsupportedOperation(String),
}

impl From<CloudTrailError> for crate::CoreError {
    fn from(e: CloudTrailError) -> Self {
        crate::CoreError::CloudTrail(e)
    }
}

/// The service principal trails deliver as.
pub const SERVICE_PRINCIPAL: &str = "cloudtrail.amazonaws.com";

/// The most trails an account has in a region (multi-region trails count
/// in every region).
pub const MAX_TRAILS_PER_REGION: usize = 5;
