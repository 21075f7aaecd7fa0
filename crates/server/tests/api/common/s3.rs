//! What the S3 tests share: a path-style aws-sdk-s3 client and the code and
//! status of a failed call.

use aws_sdk_s3::error::ProvideErrorMetadata;

/// An aws-sdk-s3 client for `config`, path-style (the endpoint serves both
/// addressing styles; path style needs no wildcard DNS).
pub fn s3(config: &aws_config::SdkConfig) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(config)
            .force_path_style(true)
            .build(),
    )
}

/// The S3 error code and HTTP status of a failed call.
pub fn fail<E, R>(
    r: Result<R, aws_sdk_s3::error::SdkError<E, aws_smithy_runtime_api::http::Response>>,
) -> (String, u16)
where
    E: ProvideErrorMetadata + std::fmt::Debug,
    R: std::fmt::Debug,
{
    let e = r.unwrap_err();
    let status = e.raw_response().map(|r| r.status().as_u16()).unwrap_or(0);
    (e.code().unwrap_or_default().to_owned(), status)
}
