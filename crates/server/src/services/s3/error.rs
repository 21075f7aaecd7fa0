//! S3's error table: each domain failure's code, HTTP status and the extra
//! elements of its `<Error>` document. Codes and statuses of the shapes the
//! model declares come from the generated table (`rootward_model::s3`);
//! the others are S3's documented error codes.

use rootward_core::CoreError;
use rootward_core::s3::S3Error;
use rootward_model::{ErrorInfo, s3 as model};

use super::wire::{S3Fail, internal};

fn modelled(info: &ErrorInfo, e: &S3Error) -> S3Fail {
    S3Fail::new(info.code, info.status, e.to_string())
}

fn listed(code: &str, status: u16, e: &S3Error) -> S3Fail {
    S3Fail::new(code, status, e.to_string())
}

fn with(mut f: S3Fail, name: &str, value: impl Into<String>) -> S3Fail {
    f.details.push((name.to_owned(), value.into()));
    f
}

/// An S3 failure on the wire.
pub fn s3_fail(e: S3Error) -> S3Fail {
    let f = |code: &str, status: u16| listed(code, status, &e);
    match &e {
        S3Error::NoSuchBucket { bucket } => with(
            modelled(&model::ER_NO_SUCH_BUCKET, &e),
            "BucketName",
            bucket,
        ),
        S3Error::NoSuchKey { key } => with(modelled(&model::ER_NO_SUCH_KEY, &e), "Key", key),
        S3Error::NoSuchUpload { upload_id } => with(
            modelled(&model::ER_NO_SUCH_UPLOAD, &e),
            "UploadId",
            upload_id,
        ),
        S3Error::NoSuchBucketPolicy { bucket } => {
            with(f("NoSuchBucketPolicy", 404), "BucketName", bucket)
        }
        S3Error::NoSuchTagSet { bucket } => with(f("NoSuchTagSet", 404), "BucketName", bucket),
        S3Error::NoSuchWebsiteConfiguration { bucket } => {
            with(f("NoSuchWebsiteConfiguration", 404), "BucketName", bucket)
        }
        S3Error::NoSuchPublicAccessBlockConfiguration { bucket } => with(
            f("NoSuchPublicAccessBlockConfiguration", 404),
            "BucketName",
            bucket,
        ),
        S3Error::OwnershipControlsNotFound { bucket } => with(
            f("OwnershipControlsNotFoundError", 404),
            "BucketName",
            bucket,
        ),
        S3Error::InvalidBucketName { bucket } => {
            with(f("InvalidBucketName", 400), "BucketName", bucket)
        }
        S3Error::InvalidLocationConstraint { .. } => f("InvalidLocationConstraint", 400),
        S3Error::IllegalLocationConstraint { bucket, region, .. } => {
            let fail = with(
                f("IllegalLocationConstraintException", 400),
                "BucketName",
                bucket,
            );
            match region {
                Some(r) => with(fail, "Region", r),
                None => fail,
            }
        }
        S3Error::BucketAlreadyExists { bucket } => with(
            modelled(&model::ER_BUCKET_ALREADY_EXISTS, &e),
            "BucketName",
            bucket,
        ),
        S3Error::BucketAlreadyOwnedByYou { bucket } => with(
            modelled(&model::ER_BUCKET_ALREADY_OWNED_BY_YOU, &e),
            "BucketName",
            bucket,
        ),
        S3Error::BucketNotEmpty { bucket } => with(f("BucketNotEmpty", 409), "BucketName", bucket),
        S3Error::KeyTooLong => f("KeyTooLongError", 400),
        S3Error::EntityTooLarge {
            proposed_size,
            max_size_allowed,
        } => {
            let mut out = f("EntityTooLarge", 400);
            if let Some(s) = proposed_size {
                out = with(out, "ProposedSize", s.to_string());
            }
            if let Some(m) = max_size_allowed {
                out = with(out, "MaxSizeAllowed", m.to_string());
            }
            out
        }
        S3Error::EntityTooSmall { part_number } => with(
            f("EntityTooSmall", 400),
            "PartNumber",
            part_number.to_string(),
        ),
        S3Error::InvalidPart => f("InvalidPart", 400),
        S3Error::InvalidPartOrder => f("InvalidPartOrder", 400),
        S3Error::MalformedXml => f("MalformedXML", 400),
        S3Error::InvalidArgument(_) => f("InvalidArgument", 400),
        S3Error::InvalidRequest(_) => modelled(&model::ER_INVALID_REQUEST, &e),
        S3Error::InvalidTag(_) => f("InvalidTag", 400),
        S3Error::InvalidDigest { content_md5 } => {
            with(f("InvalidDigest", 400), "Content-MD5", content_md5)
        }
        S3Error::BadDigest {
            expected,
            calculated,
        } => with(
            with(f("BadDigest", 400), "ExpectedDigest", expected),
            "CalculatedDigest",
            calculated,
        ),
        S3Error::BadChecksum { .. } => f("BadDigest", 400),
        S3Error::MethodNotAllowed {
            method,
            resource_type,
        } => with(
            with(f("MethodNotAllowed", 405), "Method", method),
            "ResourceType",
            resource_type,
        ),
        S3Error::MalformedPolicy(_) => f("MalformedPolicy", 400),
        S3Error::NotImplemented => f("NotImplemented", 501),
        S3Error::MalformedTrailer => f("MalformedTrailerError", 400),
        S3Error::InvalidTargetBucketForLogging { target_bucket, .. } => with(
            f("InvalidTargetBucketForLogging", 400),
            "TargetBucket",
            target_bucket,
        ),
    }
}

/// Any domain failure on S3's wire: S3's own, a denial (`AccessDenied`),
/// an internal failure (logged, answered without detail); a failure of
/// another service's words (reached only through shared paths) is an
/// `InvalidArgument` with its message.
pub fn from_core(e: CoreError) -> S3Fail {
    match e {
        CoreError::S3(e) => s3_fail(e),
        CoreError::AccessDenied(m) => S3Fail::new(
            model::ER_ACCESS_DENIED.code,
            model::ER_ACCESS_DENIED.status,
            m,
        ),
        CoreError::Internal(detail) => {
            tracing::error!(%detail, "internal failure");
            internal()
        }
        e @ (CoreError::NoSuchEntity(_)
        | CoreError::EntityAlreadyExists(_)
        | CoreError::LimitExceeded(_)
        | CoreError::DeleteConflict(_)
        | CoreError::Validation(_)
        | CoreError::Constraints(_)
        | CoreError::MalformedPolicy(_)
        | CoreError::Organizations(_)
        | CoreError::CloudTrail(_)
        | CoreError::Account(_)
        | CoreError::Ec2(_)
        | CoreError::InvalidInput(_)
        | CoreError::PasswordPolicyViolation(_)
        | CoreError::PolicyNotAttachable(_)
        | CoreError::OrganizationNotFound(_)
        | CoreError::OrganizationNotInAllFeaturesMode(_)
        | CoreError::ServiceAccessNotEnabled(_)
        | CoreError::AccountNotManagementOrDelegatedAdministrator(_)
        | CoreError::CallerIsNotManagementAccount(_)
        | CoreError::Sts(_)
        | CoreError::Sqs(_)
        | CoreError::DuplicateCertificate(_)
        | CoreError::MalformedCertificate(_)
        | CoreError::InvalidAuthenticationCode(_)
        | CoreError::ReportNotPresent(_)
        | CoreError::ReportExpired(_)
        | CoreError::InvalidUserType(_)
        | CoreError::EntityTemporarilyUnmodifiable(_)
        | CoreError::UnmodifiableEntity(_)) => S3Fail::new("InvalidArgument", 400, e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modelled_s3_errors_take_the_generated_code_and_status() {
        let b = || "b".to_owned();
        let cases = [
            S3Error::NoSuchBucket { bucket: b() },
            S3Error::NoSuchKey { key: b() },
            S3Error::NoSuchUpload { upload_id: b() },
            S3Error::BucketAlreadyExists { bucket: b() },
            S3Error::BucketAlreadyOwnedByYou { bucket: b() },
            S3Error::InvalidRequest(b()),
        ];
        for e in cases {
            let f = s3_fail(e);
            let info = model::ERRORS
                .iter()
                .find(|i| i.code == f.code)
                .unwrap_or_else(|| panic!("{} is not in the model", f.code));
            assert_eq!(f.status, info.status, "{}", f.code);
        }
    }

    #[test]
    fn s3_errors_carry_their_extra_elements_in_order() {
        let f = s3_fail(S3Error::BadDigest {
            expected: "e".into(),
            calculated: "c".into(),
        });
        assert_eq!((f.code.as_str(), f.status), ("BadDigest", 400));
        assert_eq!(
            f.details,
            vec![
                ("ExpectedDigest".to_owned(), "e".to_owned()),
                ("CalculatedDigest".to_owned(), "c".to_owned())
            ]
        );
        let f = s3_fail(S3Error::MethodNotAllowed {
            method: "GET".into(),
            resource_type: "BUCKETPOLICY".into(),
        });
        assert_eq!((f.code.as_str(), f.status), ("MethodNotAllowed", 405));
        assert_eq!(
            f.message,
            "The specified method is not allowed against this resource."
        );
        let f = from_core(CoreError::Internal("secret".into()));
        assert_eq!((f.code.as_str(), f.status), ("InternalError", 500));
        assert!(!f.message.contains("secret"));
    }
}
