//! A real server on a loopback port, on a temporary store, and SDK configs
//! that sign for it.

#[allow(dead_code)]
pub mod root;
pub mod s3;

use std::sync::Arc;

use aws_credential_types::Credentials;
use rootward_core::Service;
use rootward_core::bootstrap::bootstrap;
use rootward_core::clock::SystemClock;
use rootward_server::{Limits, Served, Stop};

pub const ACCOUNT: &str = "111111111111";
pub const ADMIN_KEY: &str = "AKIAROOTWARDADMIN001";
pub const ADMIN_SECRET: &str = "adminSecretKeyForTestsOnly0123456789ABCD";

#[allow(dead_code)]
pub struct Server {
    pub url: String,
    pub svc: Arc<Service>,
    pub clock: SystemClock,
    /// Trails deliver their log files every 200 ms (stopped before the data
    /// directory goes: fields drop in order).
    _server: rootward_server::Server,
    dir: Arc<tempfile::TempDir>,
    stop: tokio::sync::watch::Sender<Stop>,
    served: std::sync::Mutex<Option<tokio::task::JoinHandle<std::io::Result<Served>>>>,
}

impl Server {
    pub async fn start() -> Server {
        Server::start_with(Limits::default()).await
    }

    /// A server under these limits.
    pub async fn start_with(limits: Limits) -> Server {
        Server::open(Arc::new(tempfile::tempdir().unwrap()), limits).await
    }

    /// A second server on the same data directory, as after a restart: the
    /// state is loaded back from the store.
    #[allow(dead_code)]
    pub async fn reopen(&self) -> Server {
        Server::open(self.dir.clone(), Limits::default()).await
    }

    async fn open(dir: Arc<tempfile::TempDir>, limits: Limits) -> Server {
        let clock = SystemClock::default();
        let mut config = rootward_server::Config::new(dir.path());
        config.clock = Arc::new(clock.clone());
        config.limits = limits;
        config.trail_delivery = Some(std::time::Duration::from_millis(200));
        let server = rootward_server::Server::open(config).unwrap();
        let svc = server.svc().clone();
        bootstrap(&svc, Some(ACCOUNT), Some(ADMIN_KEY), Some(ADMIN_SECRET)).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, rx) = tokio::sync::watch::channel(Stop::Run);
        let state = server.state().clone();
        let served = tokio::spawn(rootward_server::serve_until(listener, state, rx));
        Server {
            url,
            svc,
            clock,
            _server: server,
            dir,
            stop,
            served: std::sync::Mutex::new(Some(served)),
        }
    }

    /// Tells the server to drain or stop.
    pub fn stop(&self, how: Stop) {
        self.stop.send(how).unwrap();
    }

    /// Waits for the server to end; how it ended.
    pub async fn stopped(&self) -> Served {
        let task = self.served.lock().unwrap().take().unwrap();
        task.await.unwrap().unwrap()
    }

    /// `host:port`.
    pub fn addr(&self) -> String {
        self.url.trim_start_matches("http://").to_owned()
    }

    /// An SDK config signing with these credentials.
    pub fn config(&self, key: &str, secret: &str, token: Option<&str>) -> aws_config::SdkConfig {
        aws_config::SdkConfig::builder()
            .endpoint_url(&self.url)
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(Credentials::new(
                    key,
                    secret,
                    token.map(str::to_owned),
                    None,
                    "rootward-tests",
                )),
            )
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build()
    }

    pub fn admin(&self) -> aws_config::SdkConfig {
        self.config(ADMIN_KEY, ADMIN_SECRET, None)
    }
}

/// A raw HTTP exchange.
#[allow(dead_code)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

#[allow(dead_code)]
impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

/// One HTTP/1.1 exchange on a fresh connection: `head` (ending in the blank
/// line), then `body`; the whole answer, read until the server closes.
async fn exchange(addr: &str, head: &str, body: &[u8]) -> Vec<u8> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).await.unwrap();
    out
}

impl RawResponse {
    /// The status line and headers of `head`, with `body`.
    fn parse(head: &str, body: &str) -> RawResponse {
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        RawResponse {
            status,
            headers,
            body: body.to_owned(),
        }
    }
}

#[allow(dead_code)]
impl Server {
    /// Sends `POST /` with `headers` and `body`, signed by the SDK's own SigV4
    /// signer (`aws-sigv4`) with the admin's key for `service`: for bodies and
    /// headers no SDK client would send.
    pub async fn raw_post(
        &self,
        service: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> RawResponse {
        self.raw_post_to(service, None, headers, body).await
    }

    /// [`Server::raw_post`] with another `Host` header (e.g. the global STS
    /// host `sts.amazonaws.com`), signed as such and sent to this server.
    pub async fn raw_post_to(
        &self,
        service: &str,
        host_header: Option<&str>,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> RawResponse {
        self.raw_post_scoped(service, "us-east-1", host_header, headers, body)
            .await
    }

    /// [`Server::raw_post_to`] signed for `region`.
    pub async fn raw_post_scoped(
        &self,
        service: &str,
        region: &str,
        host_header: Option<&str>,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> RawResponse {
        self.raw_post_path(service, region, "/", host_header, headers, body)
            .await
    }

    /// [`Server::raw_post_scoped`] to `path` (e.g. an SQS queue's
    /// `/ACCOUNT/NAME`), signed as such.
    pub async fn raw_post_path(
        &self,
        service: &str,
        region: &str,
        path: &str,
        host_header: Option<&str>,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> RawResponse {
        let host = self.addr();
        let signed = self.sign_post_at(service, region, path, host_header, headers, body);
        let mut text = format!("POST {path} HTTP/1.1\r\n");
        for (k, v) in &signed {
            text.push_str(&format!("{k}: {v}\r\n"));
        }
        text.push_str(&format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        ));
        let out = exchange(&host, &text, body).await;
        let out = String::from_utf8(out).unwrap();
        let (head, body) = out.split_once("\r\n\r\n").unwrap();
        RawResponse::parse(head, body)
    }
}

#[allow(dead_code)]
impl Server {
    /// The headers of `POST /` with `headers` and `body`, signed by the SDK's
    /// own SigV4 signer (`aws-sigv4`) with the admin's key for `service`
    /// (`host` among them; no `content-length`).
    pub fn sign_post(
        &self,
        service: &str,
        host_header: Option<&str>,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Vec<(String, String)> {
        self.sign_post_in(service, "us-east-1", host_header, headers, body)
    }

    /// [`Server::sign_post`] with the credential scoped to `region`.
    pub fn sign_post_in(
        &self,
        service: &str,
        region: &str,
        host_header: Option<&str>,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Vec<(String, String)> {
        self.sign_post_at(service, region, "/", host_header, headers, body)
    }

    /// [`Server::sign_post_in`] for `POST path`.
    pub fn sign_post_at(
        &self,
        service: &str,
        region: &str,
        path: &str,
        host_header: Option<&str>,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Vec<(String, String)> {
        use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
        use aws_sigv4::sign::v4;

        let identity = Credentials::new(ADMIN_KEY, ADMIN_SECRET, None, None, "raw").into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(region)
            .name(service)
            .time(std::time::SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .unwrap()
            .into();
        let host = self.addr();
        let shown_host = host_header.unwrap_or(&host).to_owned();
        let url = format!("http://{shown_host}{path}");
        let mut all: Vec<(&str, &str)> = vec![("host", shown_host.as_str())];
        all.extend_from_slice(headers);
        let signable =
            SignableRequest::new("POST", &url, all.iter().copied(), SignableBody::Bytes(body))
                .unwrap();
        let (instructions, _) = sign(signable, &params).unwrap().into_parts();
        let mut req = http::Request::builder().method("POST").uri(&url);
        for (k, v) in &all {
            req = req.header(*k, *v);
        }
        let mut req = req.body(()).unwrap();
        instructions.apply_to_request_http1x(&mut req);
        req.headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
            .collect()
    }

    /// Sends `method path_and_query` as is (no signature) with these headers
    /// (a `host` header among them, or this server's address) and body.
    pub async fn raw_send(
        &self,
        method: &str,
        path_and_query: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> RawResponse {
        let addr = self.url.trim_start_matches("http://").to_owned();
        let mut text = format!("{method} {path_and_query} HTTP/1.1\r\n");
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            text.push_str(&format!("host: {addr}\r\n"));
        }
        for (k, v) in headers {
            text.push_str(&format!("{k}: {v}\r\n"));
        }
        text.push_str(&format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        ));
        let out = exchange(&addr, &text, body).await;
        let out = String::from_utf8_lossy(&out).into_owned();
        let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
        RawResponse::parse(head, body)
    }

    /// An S3 request signed by the SDK's own SigV4 signer with the admin's key
    /// (`x-amz-content-sha256` = the body's hash unless `headers` set it), to
    /// `host` (e.g. a virtual-hosted `bucket.localhost:PORT`) or this server.
    pub async fn raw_s3(
        &self,
        method: &str,
        path_and_query: &str,
        host: Option<&str>,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> RawResponse {
        let sent = self.sign_s3(method, path_and_query, host, headers, body);
        self.raw_send(method, path_and_query, &sent, body).await
    }

    /// The headers of an S3 request signed by the SDK's own SigV4 signer with
    /// the admin's key (`x-amz-content-sha256` = the body's hash unless
    /// `headers` set it), for `host` or this server (no `content-length`).
    pub fn sign_s3(
        &self,
        method: &str,
        path_and_query: &str,
        host: Option<&str>,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Vec<(String, String)> {
        use aws_sigv4::http_request::{
            PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest,
            SigningSettings, UriPathNormalizationMode, sign,
        };
        use aws_sigv4::sign::v4;

        let identity = Credentials::new(ADMIN_KEY, ADMIN_SECRET, None, None, "raw").into();
        let mut settings = SigningSettings::default();
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        let declared = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("x-amz-content-sha256"))
            .map(|(_, v)| (*v).to_owned());
        if declared.is_none() {
            settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        }
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region("us-east-1")
            .name("s3")
            .time(std::time::SystemTime::now())
            .settings(settings)
            .build()
            .unwrap()
            .into();
        let addr = self.addr();
        let shown_host = host.unwrap_or(&addr).to_owned();
        let url = format!("http://{shown_host}{path_and_query}");
        let mut all: Vec<(&str, &str)> = vec![("host", shown_host.as_str())];
        all.extend_from_slice(headers);
        let signable_body = match &declared {
            Some(h) => SignableBody::Precomputed(h.clone()),
            None => SignableBody::Bytes(body),
        };
        let signable =
            SignableRequest::new(method, &url, all.iter().copied(), signable_body).unwrap();
        let (instructions, _) = sign(signable, &params).unwrap().into_parts();
        let mut req = http::Request::builder().method(method).uri(&url);
        for (k, v) in &all {
            req = req.header(*k, *v);
        }
        let mut req = req.body(()).unwrap();
        instructions.apply_to_request_http1x(&mut req);
        req.headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
            .collect()
    }
}

#[allow(dead_code)]
impl Server {
    /// A bodiless request whose query string is sent and signed byte for
    /// byte as given (`raw_query`, already in canonical order and
    /// encoding), signed by hand with the admin's key: the SDK's signer
    /// decodes a query string lossily, so it cannot sign one that is not
    /// UTF-8 once percent-decoded.
    pub async fn raw_query_signed(
        &self,
        service: &str,
        method: &str,
        path: &str,
        raw_query: &str,
    ) -> RawResponse {
        use aws_sigv4::sign::v4::{calculate_signature, generate_signing_key};
        use sha2::{Digest as _, Sha256};

        let now = std::time::SystemTime::now();
        let stamp = time::OffsetDateTime::from(now);
        let date = format!(
            "{:04}{:02}{:02}",
            stamp.year(),
            u8::from(stamp.month()),
            stamp.day()
        );
        let amz_date = format!(
            "{date}T{:02}{:02}{:02}Z",
            stamp.hour(),
            stamp.minute(),
            stamp.second()
        );
        let host = self.addr();
        let payload = hex::encode(Sha256::digest(b""));
        let signed_headers = "host;x-amz-content-sha256;x-amz-date";
        let canonical = format!(
            "{method}\n{path}\n{raw_query}\nhost:{host}\nx-amz-content-sha256:{payload}\nx-amz-date:{amz_date}\n\n{signed_headers}\n{payload}"
        );
        let scope = format!("{date}/us-east-1/{service}/aws4_request");
        let to_sign = format!(
            "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
            hex::encode(Sha256::digest(canonical.as_bytes()))
        );
        let key = generate_signing_key(ADMIN_SECRET, now, "us-east-1", service);
        let signature = calculate_signature(key, to_sign.as_bytes());
        let headers = vec![
            ("host".to_owned(), host),
            ("x-amz-content-sha256".to_owned(), payload),
            ("x-amz-date".to_owned(), amz_date),
            (
                "authorization".to_owned(),
                format!(
                    "AWS4-HMAC-SHA256 Credential={ADMIN_KEY}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
                ),
            ),
        ];
        self.raw_send(method, &format!("{path}?{raw_query}"), &headers, b"")
            .await
    }
}

/// Creates user `name` with an access key; returns an SDK config signing as it.
#[allow(dead_code)]
pub async fn user_with_key(
    s: &Server,
    iam: &aws_sdk_iam::Client,
    name: &str,
) -> aws_config::SdkConfig {
    iam.create_user().user_name(name).send().await.unwrap();
    let k = iam
        .create_access_key()
        .user_name(name)
        .send()
        .await
        .unwrap();
    let k = k.access_key().unwrap();
    s.config(k.access_key_id(), k.secret_access_key(), None)
}

/// The AWS error code of a failed SDK call.
#[allow(dead_code)]
pub fn code<E, R>(r: Result<R, aws_sdk_iam::error::SdkError<E>>) -> String
where
    E: aws_sdk_iam::error::ProvideErrorMetadata + std::fmt::Debug,
    R: std::fmt::Debug,
{
    use aws_sdk_iam::error::ProvideErrorMetadata;
    r.unwrap_err().code().unwrap_or_default().to_owned()
}

#[allow(dead_code)]
impl Server {
    /// The server's data directory.
    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// An unsigned HTTP/1.1 exchange with the server (the sign-in page
    /// stand-ins): `method path` with `body` as JSON when given.
    pub async fn unsigned(&self, method: &str, path: &str, body: Option<&[u8]>) -> RawResponse {
        let host = self.url.trim_start_matches("http://").to_owned();
        let body = body.unwrap_or_default();
        let text = format!(
            "{method} {path} HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        let out = exchange(&host, &text, body).await;
        let out = String::from_utf8(out).unwrap();
        let (head, body) = out.split_once("\r\n\r\n").unwrap();
        RawResponse::parse(head, body)
    }

    /// `POST /_rootward/PATH` with a JSON body.
    pub async fn console(&self, path: &str, body: serde_json::Value) -> RawResponse {
        self.unsigned(
            "POST",
            &format!("/_rootward/{path}"),
            Some(body.to_string().as_bytes()),
        )
        .await
    }

    /// Signs up a standalone account; its id.
    pub async fn signup(&self, email: &str, password: &str) -> String {
        let r = self
            .console(
                "signup",
                serde_json::json!({"email": email, "password": password, "account_name": "signed up"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["account_id"].as_str().unwrap().to_owned()
    }

    /// Signs in as a root user; an SDK config signing with the session.
    pub async fn signin(
        &self,
        email: &str,
        password: &str,
        mfa_code: Option<&str>,
    ) -> aws_config::SdkConfig {
        let r = self
            .console(
                "signin",
                serde_json::json!({"email": email, "password": password, "mfa_code": mfa_code}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let c = &r.json()["credentials"];
        self.config(
            c["AccessKeyId"].as_str().unwrap(),
            c["SecretAccessKey"].as_str().unwrap(),
            c["SessionToken"].as_str(),
        )
    }
}
