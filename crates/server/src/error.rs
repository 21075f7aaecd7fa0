//! The one table from failures to AWS error codes and HTTP statuses.

use rootward_core::CoreError;
use rootward_core::account::AccountError;
use rootward_core::cloudtrail::CloudTrailError;
use rootward_core::ec2::Ec2Error;
use rootward_core::org::OrgError;
use rootward_core::root_user::ConsoleError;
use rootward_core::sqs::SqsError;
use rootward_core::sts::StsError;
use rootward_model::{ErrorInfo, account, cloudtrail, iam, organizations, sqs};

/// An error on its way to the wire: AWS code, HTTP status, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The AWS error code (`NoSuchEntity`, `AccessDenied`, …).
    pub code: String,
    /// The HTTP status.
    pub status: u16,
    /// The message.
    pub message: String,
    /// Further members of the error body, in order: Organizations'
    /// `Reason`, S3's `<BucketName>`, `<Method>`, …
    pub extra: Vec<(String, String)>,
    /// The query-protocol code of an awsQueryCompatible service (SQS), sent
    /// in `x-amzn-query-error` beside the JSON `__type`.
    pub query_code: Option<Box<str>>,
}

impl ApiError {
    /// A new error.
    pub fn new(code: &str, status: u16, message: impl Into<String>) -> ApiError {
        ApiError {
            code: code.to_owned(),
            status,
            message: message.into(),
            extra: Vec::new(),
            query_code: None,
        }
    }

    /// The error with one more member in its body.
    #[must_use]
    pub fn with(mut self, name: &str, value: impl Into<String>) -> ApiError {
        self.extra.push((name.to_owned(), value.into()));
        self
    }

    /// `Sender` for 4xx, `Receiver` for 5xx (query protocol `<Type>`).
    pub fn fault(&self) -> &'static str {
        if self.status >= 500 {
            "Receiver"
        } else {
            "Sender"
        }
    }

    /// The internal error, without detail.
    pub fn internal() -> ApiError {
        ApiError::new(
            "InternalFailure",
            500,
            "The request processing has failed because of an unknown error, exception or failure.",
        )
    }
}

impl ApiError {
    /// A modelled error: code and status from the generated table.
    pub fn modelled(info: &ErrorInfo, message: impl Into<String>) -> ApiError {
        ApiError::new(info.code, info.status, message)
    }
}

/// The HTTP status of a failure at the sign-in pages and their JSON routes.
pub fn console_status(e: &ConsoleError) -> u16 {
    match e {
        ConsoleError::Invalid(_) => 400,
        ConsoleError::BadCredentials => 401,
        ConsoleError::Forbidden(_) => 403,
        ConsoleError::NotFound(_) => 404,
        ConsoleError::Conflict(_) => 409,
        ConsoleError::Throttled => 429,
        ConsoleError::Internal => 500,
    }
}

/// Domain error → IAM/STS (query protocol) error (spec 02). Every variant
/// has its arm: a new one does not compile until it is given a code.
pub fn from_core(e: CoreError) -> ApiError {
    match e {
        CoreError::NoSuchEntity(m) => ApiError::modelled(&iam::ER_NO_SUCH_ENTITY_EXCEPTION, m),
        CoreError::EntityAlreadyExists(m) => {
            ApiError::modelled(&iam::ER_ENTITY_ALREADY_EXISTS_EXCEPTION, m)
        }
        CoreError::LimitExceeded(m) => ApiError::modelled(&iam::ER_LIMIT_EXCEEDED_EXCEPTION, m),
        CoreError::DeleteConflict(m) => ApiError::modelled(&iam::ER_DELETE_CONFLICT_EXCEPTION, m),
        // The common errors of the query protocol (not in the model).
        CoreError::Validation(m) => ApiError::new("ValidationError", 400, m),
        CoreError::Constraints(e) => ApiError::new("ValidationError", 400, e.to_string()),
        CoreError::AccessDenied(m) => ApiError::new("AccessDenied", 403, m),
        CoreError::PolicyNotAttachable(m) => {
            ApiError::modelled(&iam::ER_POLICY_NOT_ATTACHABLE_EXCEPTION, m)
        }
        CoreError::MalformedPolicy(m) => {
            ApiError::modelled(&iam::ER_MALFORMED_POLICY_DOCUMENT_EXCEPTION, m)
        }
        CoreError::OrganizationNotFound(m) => {
            ApiError::modelled(&iam::ER_ORGANIZATION_NOT_FOUND_EXCEPTION, m)
        }
        CoreError::OrganizationNotInAllFeaturesMode(m) => {
            ApiError::modelled(&iam::ER_ORGANIZATION_NOT_IN_ALL_FEATURES_MODE_EXCEPTION, m)
        }
        CoreError::ServiceAccessNotEnabled(m) => {
            ApiError::modelled(&iam::ER_SERVICE_ACCESS_NOT_ENABLED_EXCEPTION, m)
        }
        CoreError::AccountNotManagementOrDelegatedAdministrator(m) => ApiError::modelled(
            &iam::ER_ACCOUNT_NOT_MANAGEMENT_OR_DELEGATED_ADMINISTRATOR_EXCEPTION,
            m,
        ),
        CoreError::CallerIsNotManagementAccount(m) => {
            ApiError::modelled(&iam::ER_CALLER_IS_NOT_MANAGEMENT_ACCOUNT_EXCEPTION, m)
        }
        CoreError::Sts(e) => from_sts(e),
        CoreError::Organizations(e) => from_org(e),
        CoreError::S3(e) => {
            let f = crate::services::s3::error::s3_fail(e);
            ApiError::new(&f.code, f.status, f.message)
        }
        CoreError::Sqs(e) => from_sqs(e),
        CoreError::CloudTrail(e) => from_cloudtrail(e),
        CoreError::Account(e) => from_account(e),
        CoreError::Ec2(e) => from_ec2(e),
        CoreError::InvalidInput(m) => ApiError::modelled(&iam::ER_INVALID_INPUT_EXCEPTION, m),
        CoreError::PasswordPolicyViolation(m) => {
            ApiError::modelled(&iam::ER_PASSWORD_POLICY_VIOLATION_EXCEPTION, m)
        }
        CoreError::DuplicateCertificate(m) => {
            ApiError::modelled(&iam::ER_DUPLICATE_CERTIFICATE_EXCEPTION, m)
        }
        CoreError::MalformedCertificate(m) => {
            ApiError::modelled(&iam::ER_MALFORMED_CERTIFICATE_EXCEPTION, m)
        }
        CoreError::InvalidAuthenticationCode(m) => {
            ApiError::modelled(&iam::ER_INVALID_AUTHENTICATION_CODE_EXCEPTION, m)
        }
        CoreError::ReportNotPresent(m) => {
            ApiError::modelled(&iam::ER_CREDENTIAL_REPORT_NOT_PRESENT_EXCEPTION, m)
        }
        CoreError::ReportExpired(m) => {
            ApiError::modelled(&iam::ER_CREDENTIAL_REPORT_EXPIRED_EXCEPTION, m)
        }
        CoreError::InvalidUserType(m) => {
            ApiError::modelled(&iam::ER_INVALID_USER_TYPE_EXCEPTION, m)
        }
        CoreError::EntityTemporarilyUnmodifiable(m) => {
            ApiError::modelled(&iam::ER_ENTITY_TEMPORARILY_UNMODIFIABLE_EXCEPTION, m)
        }
        CoreError::UnmodifiableEntity(m) => {
            ApiError::modelled(&iam::ER_UNMODIFIABLE_ENTITY_EXCEPTION, m)
        }
        CoreError::Internal(detail) => {
            tracing::error!(%detail, "internal failure");
            ApiError::internal()
        }
    }
}

/// STS's own failures.
fn from_sts(e: StsError) -> ApiError {
    let message = e.to_string();
    match e {
        // A common error of the query protocol (not in the model).
        StsError::UnknownOperation => ApiError::new("InvalidAction", 400, message),
    }
}

/// SQS's failures: code and status from the generated table, with the
/// query-compatible code (`x-amzn-query-error`); `InvalidParameterValue`
/// and `MissingParameter` are common errors of the protocol, not shapes.
pub fn from_sqs(e: SqsError) -> ApiError {
    let message = e.to_string();
    let info = match e {
        SqsError::QueueDoesNotExist => &sqs::ER_QUEUE_DOES_NOT_EXIST,
        SqsError::QueueNameExists(_) => &sqs::ER_QUEUE_NAME_EXISTS,
        SqsError::InvalidAttributeName(_) => &sqs::ER_INVALID_ATTRIBUTE_NAME,
        SqsError::InvalidAttributeValue(_) => &sqs::ER_INVALID_ATTRIBUTE_VALUE,
        SqsError::InvalidMessageContents(_) => &sqs::ER_INVALID_MESSAGE_CONTENTS,
        SqsError::ReceiptHandleIsInvalid(_) => &sqs::ER_RECEIPT_HANDLE_IS_INVALID,
        SqsError::PurgeQueueInProgress(_) => &sqs::ER_PURGE_QUEUE_IN_PROGRESS,
        SqsError::QueueDeletedRecently => &sqs::ER_QUEUE_DELETED_RECENTLY,
        SqsError::EmptyBatchRequest(_) => &sqs::ER_EMPTY_BATCH_REQUEST,
        SqsError::TooManyEntriesInBatchRequest(_) => &sqs::ER_TOO_MANY_ENTRIES_IN_BATCH_REQUEST,
        SqsError::BatchEntryIdsNotDistinct(_) => &sqs::ER_BATCH_ENTRY_IDS_NOT_DISTINCT,
        SqsError::InvalidBatchEntryId(_) => &sqs::ER_INVALID_BATCH_ENTRY_ID,
        SqsError::BatchRequestTooLong(_) => &sqs::ER_BATCH_REQUEST_TOO_LONG,
        SqsError::UnsupportedOperation(_) => &sqs::ER_UNSUPPORTED_OPERATION,
        SqsError::InvalidParameterValue(_) => {
            return sqs_common("InvalidParameterValue", message);
        }
        SqsError::MissingParameter(_) => return sqs_common("MissingParameter", message),
    };
    let mut a = ApiError::modelled(info, message);
    a.query_code = Some(info.query_code.unwrap_or(info.code).into());
    a
}

/// A common SQS error (HTTP 400, its query code is its name).
pub fn sqs_common(code: &str, message: impl Into<String>) -> ApiError {
    let mut a = ApiError::new(code, 400, message);
    a.query_code = Some(code.into());
    a
}

/// CloudTrail's exceptions: code and status from the generated table (all
/// HTTP 400).
pub fn from_cloudtrail(e: CloudTrailError) -> ApiError {
    use cloudtrail as m;
    let message = e.to_string();
    let info = match e {
        CloudTrailError::TrailNotFound(_) => &m::ER_TRAIL_NOT_FOUND_EXCEPTION,
        CloudTrailError::TrailAlreadyExists(_) => &m::ER_TRAIL_ALREADY_EXISTS_EXCEPTION,
        CloudTrailError::InvalidTrailName(_) => &m::ER_INVALID_TRAIL_NAME_EXCEPTION,
        CloudTrailError::CloudTrailArnInvalid(_) => &m::ER_CLOUD_TRAIL_ARN_INVALID_EXCEPTION,
        CloudTrailError::S3BucketDoesNotExist(_) => &m::ER_S3_BUCKET_DOES_NOT_EXIST_EXCEPTION,
        CloudTrailError::InsufficientS3BucketPolicy(_) => {
            &m::ER_INSUFFICIENT_S3_BUCKET_POLICY_EXCEPTION
        }
        CloudTrailError::InvalidS3Prefix(_) => &m::ER_INVALID_S3_PREFIX_EXCEPTION,
        CloudTrailError::InvalidS3BucketName(_) => &m::ER_INVALID_S3_BUCKET_NAME_EXCEPTION,
        CloudTrailError::InvalidHomeRegion(_) => &m::ER_INVALID_HOME_REGION_EXCEPTION,
        CloudTrailError::MaximumNumberOfTrailsExceeded(_) => {
            &m::ER_MAXIMUM_NUMBER_OF_TRAILS_EXCEEDED_EXCEPTION
        }
        CloudTrailError::NotOrganizationMasterAccount(_) => {
            &m::ER_NOT_ORGANIZATION_MASTER_ACCOUNT_EXCEPTION
        }
        CloudTrailError::OrganizationsNotInUse(_) => &m::ER_ORGANIZATIONS_NOT_IN_USE_EXCEPTION,
        CloudTrailError::OrganizationNotInAllFeaturesMode(_) => {
            &m::ER_ORGANIZATION_NOT_IN_ALL_FEATURES_MODE_EXCEPTION
        }
        CloudTrailError::CloudTrailAccessNotEnabled(_) => {
            &m::ER_CLOUD_TRAIL_ACCESS_NOT_ENABLED_EXCEPTION
        }
        CloudTrailError::InvalidEventSelectors(_) => &m::ER_INVALID_EVENT_SELECTORS_EXCEPTION,
        CloudTrailError::InvalidParameterCombination(_) => {
            &m::ER_INVALID_PARAMETER_COMBINATION_EXCEPTION
        }
        CloudTrailError::InvalidParameter(_) => &m::ER_INVALID_PARAMETER_EXCEPTION,
        CloudTrailError::InvalidTagParameter(_) => &m::ER_INVALID_TAG_PARAMETER_EXCEPTION,
        CloudTrailError::UnsupportedOperation(_) => &m::ER_UNSUPPORTED_OPERATION_EXCEPTION,
        CloudTrailError::ResourceNotFound(_) => &m::ER_RESOURCE_NOT_FOUND_EXCEPTION,
        CloudTrailError::TagsLimitExceeded(_) => &m::ER_TAGS_LIMIT_EXCEEDED_EXCEPTION,
        CloudTrailError::InsightNotEnabled(_) => &m::ER_INSIGHT_NOT_ENABLED_EXCEPTION,
        CloudTrailError::InvalidToken(_) => &m::ER_INVALID_TOKEN_EXCEPTION,
    };
    ApiError::modelled(info, message)
}

/// Account Management's modelled errors.
pub fn from_account(e: AccountError) -> ApiError {
    match e {
        AccountError::ResourceNotFound(m) => {
            ApiError::modelled(&account::ER_RESOURCE_NOT_FOUND_EXCEPTION, m)
        }
        AccountError::Validation { message, .. } => {
            ApiError::modelled(&account::ER_VALIDATION_EXCEPTION, message)
        }
        AccountError::InvalidRegionOptTarget(m) => {
            ApiError::modelled(&account::ER_VALIDATION_EXCEPTION, m)
                .with("reason", "invalidRegionOptTarget")
        }
        AccountError::Conflict(m) => ApiError::modelled(&account::ER_CONFLICT_EXCEPTION, m),
    }
}

/// EC2's codes (its query protocol's `<Errors>`; EC2's model declares no
/// error shapes).
pub fn from_ec2(e: Ec2Error) -> ApiError {
    let message = e.to_string();
    match e {
        Ec2Error::InvalidParameterValue(_) | Ec2Error::InvalidFilter(_) => {
            ApiError::new("InvalidParameterValue", 400, message)
        }
        Ec2Error::DryRunOperation => ApiError::new("DryRunOperation", 412, message),
    }
}

/// Organizations' exceptions: code from the generated table (every one an
/// HTTP 400, [live]), `Reason` where the shape has one.
fn from_org(e: OrgError) -> ApiError {
    use organizations as m;
    let message = e.to_string();
    let (info, reason) = match e {
        OrgError::AwsOrganizationsNotInUse(_) => {
            (&m::ER_AWS_ORGANIZATIONS_NOT_IN_USE_EXCEPTION, None)
        }
        OrgError::AccessDenied(_) => (&m::ER_ACCESS_DENIED_EXCEPTION, None),
        OrgError::AccountAlreadyRegistered(_) => {
            (&m::ER_ACCOUNT_ALREADY_REGISTERED_EXCEPTION, None)
        }
        OrgError::AccountNotFound(_) => (&m::ER_ACCOUNT_NOT_FOUND_EXCEPTION, None),
        OrgError::AccountAlreadyClosed(_) => (&m::ER_ACCOUNT_ALREADY_CLOSED_EXCEPTION, None),
        OrgError::AccountNotRegistered(_) => (&m::ER_ACCOUNT_NOT_REGISTERED_EXCEPTION, None),
        OrgError::AlreadyInOrganization(_) => (&m::ER_ALREADY_IN_ORGANIZATION_EXCEPTION, None),
        OrgError::ChildNotFound(_) => (&m::ER_CHILD_NOT_FOUND_EXCEPTION, None),
        OrgError::CreateAccountStatusNotFound(_) => {
            (&m::ER_CREATE_ACCOUNT_STATUS_NOT_FOUND_EXCEPTION, None)
        }
        OrgError::DestinationParentNotFound(_) => {
            (&m::ER_DESTINATION_PARENT_NOT_FOUND_EXCEPTION, None)
        }
        OrgError::DuplicateAccount(_) => (&m::ER_DUPLICATE_ACCOUNT_EXCEPTION, None),
        OrgError::DuplicateHandshake(_) => (&m::ER_DUPLICATE_HANDSHAKE_EXCEPTION, None),
        OrgError::DuplicateOrganizationalUnit(_) => {
            (&m::ER_DUPLICATE_ORGANIZATIONAL_UNIT_EXCEPTION, None)
        }
        OrgError::DuplicatePolicyAttachment(_) => {
            (&m::ER_DUPLICATE_POLICY_ATTACHMENT_EXCEPTION, None)
        }
        OrgError::DuplicatePolicy(_) => (&m::ER_DUPLICATE_POLICY_EXCEPTION, None),
        OrgError::HandshakeNotFound(_) => (&m::ER_HANDSHAKE_NOT_FOUND_EXCEPTION, None),
        OrgError::InvalidHandshakeTransition(_) => {
            (&m::ER_INVALID_HANDSHAKE_TRANSITION_EXCEPTION, None)
        }
        OrgError::MalformedPolicyDocument(_) => (&m::ER_MALFORMED_POLICY_DOCUMENT_EXCEPTION, None),
        OrgError::MasterCannotLeaveOrganization(_) => {
            (&m::ER_MASTER_CANNOT_LEAVE_ORGANIZATION_EXCEPTION, None)
        }
        OrgError::OrganizationNotEmpty(_) => (&m::ER_ORGANIZATION_NOT_EMPTY_EXCEPTION, None),
        OrgError::OrganizationalUnitNotEmpty(_) => {
            (&m::ER_ORGANIZATIONAL_UNIT_NOT_EMPTY_EXCEPTION, None)
        }
        OrgError::OrganizationalUnitNotFound(_) => {
            (&m::ER_ORGANIZATIONAL_UNIT_NOT_FOUND_EXCEPTION, None)
        }
        OrgError::ParentNotFound(_) => (&m::ER_PARENT_NOT_FOUND_EXCEPTION, None),
        OrgError::PolicyInUse(_) => (&m::ER_POLICY_IN_USE_EXCEPTION, None),
        OrgError::PolicyNotAttached(_) => (&m::ER_POLICY_NOT_ATTACHED_EXCEPTION, None),
        OrgError::PolicyNotFound(_) => (&m::ER_POLICY_NOT_FOUND_EXCEPTION, None),
        OrgError::PolicyTypeAlreadyEnabled(_) => {
            (&m::ER_POLICY_TYPE_ALREADY_ENABLED_EXCEPTION, None)
        }
        OrgError::PolicyTypeNotAvailableForOrganization(_) => (
            &m::ER_POLICY_TYPE_NOT_AVAILABLE_FOR_ORGANIZATION_EXCEPTION,
            None,
        ),
        OrgError::PolicyTypeNotEnabled(_) => (&m::ER_POLICY_TYPE_NOT_ENABLED_EXCEPTION, None),
        OrgError::RootNotFound(_) => (&m::ER_ROOT_NOT_FOUND_EXCEPTION, None),
        OrgError::SourceParentNotFound(_) => (&m::ER_SOURCE_PARENT_NOT_FOUND_EXCEPTION, None),
        OrgError::TargetNotFound(_) => (&m::ER_TARGET_NOT_FOUND_EXCEPTION, None),
        OrgError::ConstraintViolation { reason, .. } => {
            (&m::ER_CONSTRAINT_VIOLATION_EXCEPTION, Some(reason))
        }
        OrgError::HandshakeConstraintViolation { reason, .. } => (
            &m::ER_HANDSHAKE_CONSTRAINT_VIOLATION_EXCEPTION,
            Some(reason),
        ),
        OrgError::InvalidInput { reason, .. } => (&m::ER_INVALID_INPUT_EXCEPTION, Some(reason)),
    };
    let a = ApiError::modelled(info, message);
    match reason {
        Some(r) => a.with("Reason", r),
        None => a,
    }
}

/// Domain error → Organizations (JSON 1.1) error (spec 03 §3.5): every client
/// error is HTTP 400 ([live]); an internal failure is `ServiceException` 500.
/// A failure in another service's words (reached only through shared paths)
/// is an `InvalidInputException` with its message.
pub fn from_core_org(e: CoreError) -> ApiError {
    use organizations as m;
    match e {
        CoreError::Organizations(e) => from_org(e),
        CoreError::AccessDenied(msg) => ApiError::modelled(&m::ER_ACCESS_DENIED_EXCEPTION, msg),
        e @ (CoreError::Validation(_)
        | CoreError::Constraints(_)
        | CoreError::InvalidInput(_)
        | CoreError::PasswordPolicyViolation(_)
        | CoreError::MalformedPolicy(_)
        | CoreError::PolicyNotAttachable(_)
        | CoreError::OrganizationNotFound(_)
        | CoreError::OrganizationNotInAllFeaturesMode(_)
        | CoreError::ServiceAccessNotEnabled(_)
        | CoreError::AccountNotManagementOrDelegatedAdministrator(_)
        | CoreError::CallerIsNotManagementAccount(_)
        | CoreError::Sts(_)
        | CoreError::Sqs(_)
        | CoreError::S3(_)
        | CoreError::NoSuchEntity(_)
        | CoreError::EntityAlreadyExists(_)
        | CoreError::LimitExceeded(_)
        | CoreError::DeleteConflict(_)
        | CoreError::DuplicateCertificate(_)
        | CoreError::MalformedCertificate(_)
        | CoreError::InvalidAuthenticationCode(_)
        | CoreError::ReportNotPresent(_)
        | CoreError::ReportExpired(_)
        | CoreError::InvalidUserType(_)
        | CoreError::EntityTemporarilyUnmodifiable(_)
        | CoreError::UnmodifiableEntity(_)
        | CoreError::CloudTrail(_)
        | CoreError::Account(_)
        | CoreError::Ec2(_)) => ApiError::modelled(&m::ER_INVALID_INPUT_EXCEPTION, e.to_string()),
        CoreError::Internal(detail) => {
            tracing::error!(%detail, "internal failure");
            ApiError::modelled(
                &m::ER_SERVICE_EXCEPTION,
                "AWS Organizations can't complete your request because of an internal service error. Try again later.",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_domain_error_has_a_code_and_status() {
        let cases = [
            (CoreError::NoSuchEntity("x".into()), "NoSuchEntity", 404),
            (
                CoreError::EntityAlreadyExists("x".into()),
                "EntityAlreadyExists",
                409,
            ),
            (CoreError::LimitExceeded("x".into()), "LimitExceeded", 409),
            (CoreError::DeleteConflict("x".into()), "DeleteConflict", 409),
            (CoreError::Validation("x".into()), "ValidationError", 400),
            (
                CoreError::PolicyNotAttachable("x".into()),
                "PolicyNotAttachable",
                400,
            ),
            (
                CoreError::MalformedPolicy("x".into()),
                "MalformedPolicyDocument",
                400,
            ),
            (CoreError::AccessDenied("x".into()), "AccessDenied", 403),
            (CoreError::InvalidInput("x".into()), "InvalidInput", 400),
            (
                CoreError::PasswordPolicyViolation("x".into()),
                "PasswordPolicyViolation",
                400,
            ),
            (
                CoreError::DuplicateCertificate("x".into()),
                "DuplicateCertificate",
                409,
            ),
            (
                CoreError::MalformedCertificate("x".into()),
                "MalformedCertificate",
                400,
            ),
            (
                CoreError::InvalidAuthenticationCode("x".into()),
                "InvalidAuthenticationCode",
                403,
            ),
            (
                CoreError::ReportNotPresent("x".into()),
                "ReportNotPresent",
                410,
            ),
            (CoreError::ReportExpired("x".into()), "ReportExpired", 410),
            (
                CoreError::InvalidUserType("x".into()),
                "InvalidUserType",
                400,
            ),
            (
                CoreError::EntityTemporarilyUnmodifiable("x".into()),
                "EntityTemporarilyUnmodifiable",
                409,
            ),
            (
                CoreError::UnmodifiableEntity("x".into()),
                "UnmodifiableEntity",
                400,
            ),
            (
                CoreError::CloudTrail(rootward_core::cloudtrail::CloudTrailError::TrailNotFound(
                    "x".into(),
                )),
                "TrailNotFoundException",
                400,
            ),
            (
                CoreError::Account(rootward_core::account::AccountError::ResourceNotFound(
                    "x".into(),
                )),
                "ResourceNotFoundException",
                404,
            ),
            (
                CoreError::Account(
                    rootward_core::account::AccountError::InvalidRegionOptTarget("x".into()),
                ),
                "ValidationException",
                400,
            ),
            (
                CoreError::Account(rootward_core::account::AccountError::Conflict("x".into())),
                "ConflictException",
                409,
            ),
            (
                CoreError::Ec2(rootward_core::ec2::Ec2Error::DryRunOperation),
                "DryRunOperation",
                412,
            ),
            (
                CoreError::Internal("secret detail".into()),
                "InternalFailure",
                500,
            ),
        ];
        for (e, code, status) in cases {
            let a = from_core(e);
            assert_eq!((a.code.as_str(), a.status), (code, status));
            assert!(!a.message.contains("secret detail"));
        }
    }

    /// Where IAM's or STS's model declares the code, the status is the model's.
    #[test]
    fn query_codes_agree_with_the_generated_tables() {
        let x = || "x".to_owned();
        let all = [
            CoreError::NoSuchEntity(x()),
            CoreError::EntityAlreadyExists(x()),
            CoreError::LimitExceeded(x()),
            CoreError::DeleteConflict(x()),
            CoreError::PolicyNotAttachable(x()),
            CoreError::MalformedPolicy(x()),
            CoreError::OrganizationNotFound(x()),
            CoreError::OrganizationNotInAllFeaturesMode(x()),
            CoreError::ServiceAccessNotEnabled(x()),
            CoreError::AccountNotManagementOrDelegatedAdministrator(x()),
            CoreError::CallerIsNotManagementAccount(x()),
            CoreError::InvalidInput(x()),
            CoreError::PasswordPolicyViolation(x()),
            CoreError::DuplicateCertificate(x()),
            CoreError::MalformedCertificate(x()),
            CoreError::InvalidAuthenticationCode(x()),
            CoreError::ReportNotPresent(x()),
            CoreError::ReportExpired(x()),
            CoreError::InvalidUserType(x()),
            CoreError::EntityTemporarilyUnmodifiable(x()),
            CoreError::UnmodifiableEntity(x()),
        ];
        for e in all {
            let a = from_core(e);
            let info = iam::ERRORS
                .iter()
                .find(|i| i.code == a.code)
                .unwrap_or_else(|| panic!("{} is not in IAM's model", a.code));
            assert_eq!(a.status, info.status, "{}", a.code);
        }
        let a = from_core(CoreError::Sts(StsError::UnknownOperation));
        assert_eq!(
            (a.code.as_str(), a.status, a.message.as_str()),
            ("InvalidAction", 400, "Unknown Operation")
        );
    }

    #[test]
    fn sqs_errors_carry_their_query_compatible_codes() {
        let cases = [
            (
                SqsError::QueueDoesNotExist,
                "QueueDoesNotExist",
                400,
                "AWS.SimpleQueueService.NonExistentQueue",
            ),
            (
                SqsError::QueueNameExists("x".into()),
                "QueueNameExists",
                400,
                "QueueAlreadyExists",
            ),
            (
                SqsError::PurgeQueueInProgress("x".into()),
                "PurgeQueueInProgress",
                403,
                "AWS.SimpleQueueService.PurgeQueueInProgress",
            ),
            (
                SqsError::ReceiptHandleIsInvalid("x".into()),
                "ReceiptHandleIsInvalid",
                404,
                "ReceiptHandleIsInvalid",
            ),
            (
                SqsError::QueueDeletedRecently,
                "QueueDeletedRecently",
                400,
                "AWS.SimpleQueueService.QueueDeletedRecently",
            ),
            (
                SqsError::MissingParameter("MessageBody".into()),
                "MissingParameter",
                400,
                "MissingParameter",
            ),
        ];
        for (e, code, status, query) in cases {
            let a = from_sqs(e);
            assert_eq!(
                (a.code.as_str(), a.status, a.query_code.as_deref()),
                (code, status, Some(query))
            );
        }
    }

    #[test]
    fn organizations_errors_are_400_with_their_reason() {
        let a = from_core_org(CoreError::Organizations(OrgError::ConstraintViolation {
            reason: "POLICY_NUMBER_LIMIT_EXCEEDED",
            message: "m".into(),
        }));
        assert_eq!(
            (a.code.as_str(), a.status, a.extra.clone()),
            (
                "ConstraintViolationException",
                400,
                vec![(
                    "Reason".to_owned(),
                    "POLICY_NUMBER_LIMIT_EXCEEDED".to_owned()
                )]
            )
        );
        let a = from_core_org(CoreError::AccessDenied("no".into()));
        assert_eq!((a.code.as_str(), a.status), ("AccessDeniedException", 400));
        let a = from_core_org(CoreError::Internal("secret".into()));
        assert_eq!((a.code.as_str(), a.status), ("ServiceException", 500));
        assert!(!a.message.contains("secret"));
    }
}
