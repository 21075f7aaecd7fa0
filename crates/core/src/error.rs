//! Domain errors, in domain words. The server maps each to an AWS code and
//! HTTP status in one table.

/// A domain failure.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The entity does not exist (IAM `NoSuchEntity`).
    #[error("{0}")]
    NoSuchEntity(String),
    /// The entity exists already (IAM `EntityAlreadyExists`).
    #[error("{0}")]
    EntityAlreadyExists(String),
    /// A quota would be exceeded (IAM `LimitExceeded`).
    #[error("{0}")]
    LimitExceeded(String),
    /// The request is inconsistent with the entity's state (IAM `DeleteConflict`).
    #[error("{0}")]
    DeleteConflict(String),
    /// A parameter is invalid (`ValidationError` / `InvalidInput`).
    #[error("{0}")]
    Validation(String),
    /// Inputs that break constraints the domain checks beyond the service
    /// model (the model's own are checked on decode), in AWS's words by the
    /// one formatter (`1 validation error detected: Value … at …`).
    #[error("{0}")]
    Constraints(rootward_model::ValidationErrors),
    /// A policy document is malformed (`MalformedPolicyDocument`).
    #[error("{0}")]
    MalformedPolicy(String),
    /// The caller is not allowed; the message is AWS's denial message.
    #[error("{0}")]
    AccessDenied(String),
    /// An AWS Organizations failure, in its own words (spec 03 §3.5).
    #[error("{0}")]
    Organizations(crate::org::OrgError),
    /// An Amazon S3 failure, in its own words (spec 04 §4.1.3).
    #[error("{0}")]
    S3(crate::s3::S3Error),
    /// A CloudTrail failure, in its own words.
    #[error("{0}")]
    CloudTrail(crate::cloudtrail::CloudTrailError),
    /// An Account Management failure, in its own words.
    #[error("{0}")]
    Account(crate::account::AccountError),
    /// An Amazon EC2 failure, in its own words.
    #[error("{0}")]
    Ec2(crate::ec2::Ec2Error),
    /// A parameter is invalid where IAM answers `InvalidInput`.
    #[error("{0}")]
    InvalidInput(String),
    /// A password does not satisfy the password policy (`PasswordPolicyViolation`).
    #[error("{0}")]
    PasswordPolicyViolation(String),
    /// A managed policy that may not be attached (IAM `PolicyNotAttachable`).
    #[error("{0}")]
    PolicyNotAttachable(String),
    /// The caller's account is in no organization (IAM's
    /// `OrganizationNotFoundException`, spec 02 §2.5).
    #[error("{0}")]
    OrganizationNotFound(String),
    /// The caller's organization has only consolidated billing.
    #[error("{0}")]
    OrganizationNotInAllFeaturesMode(String),
    /// Trusted access for IAM is not enabled in the organization.
    #[error("{0}")]
    ServiceAccessNotEnabled(String),
    /// The caller's account is neither the management account nor a
    /// delegated administrator for IAM.
    #[error("{0}")]
    AccountNotManagementOrDelegatedAdministrator(String),
    /// The caller's account is not the management account.
    #[error("{0}")]
    CallerIsNotManagementAccount(String),
    /// An AWS STS failure of its own.
    #[error("{0}")]
    Sts(crate::sts::StsError),
    /// An Amazon SQS failure, in its own words (spec 04 §4.2).
    #[error("{0}")]
    Sqs(crate::sqs::SqsError),
    /// The same certificate is already associated with a principal (`DuplicateCertificate`).
    #[error("{0}")]
    DuplicateCertificate(String),
    /// A certificate body does not parse (`MalformedCertificate`).
    #[error("{0}")]
    MalformedCertificate(String),
    /// MFA codes were not accepted (`InvalidAuthenticationCode`).
    #[error("{0}")]
    InvalidAuthenticationCode(String),
    /// No credential report was generated (`ReportNotPresent`).
    #[error("{0}")]
    ReportNotPresent(String),
    /// The credential report is older than four hours (`ReportExpired`).
    #[error("{0}")]
    ReportExpired(String),
    /// The caller is not of a kind the operation serves (IAM
    /// `InvalidUserType`: `ChangePassword` by a root or role caller).
    #[error("{0}")]
    InvalidUserType(String),
    /// The entity cannot be changed for now (IAM
    /// `EntityTemporarilyUnmodifiable`).
    #[error("{0}")]
    EntityTemporarilyUnmodifiable(String),
    /// The entity is managed by an AWS service and cannot be changed
    /// directly (IAM `UnmodifiableEntity`: a service-linked role).
    #[error("{0}")]
    UnmodifiableEntity(String),
    /// Something broke inside (answered without detail).
    #[error("internal: {0}")]
    Internal(String),
}

/// One broken constraint: `value` at `member` breaks `rule` (`value`
/// `None` leaves it out, as AWS does for sensitive members).
pub fn constraint(member: &str, value: Option<&str>, rule: rootward_model::Rule<'_>) -> CoreError {
    CoreError::Constraints(rootward_model::ValidationErrors(vec![
        rootward_model::Violation::broke(member, value, rule),
    ]))
}

impl From<crate::store::StoreError> for CoreError {
    fn from(e: crate::store::StoreError) -> Self {
        CoreError::Internal(e.0)
    }
}
