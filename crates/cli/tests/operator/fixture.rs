//! The real `rootward serve` on a free loopback port, organizations built
//! through the AWS SDK for Rust, and the `rootward` binary run against it
//! with only environment variables (no shared config or credentials file).
//!
//! Everything a case needs goes through [`Endpoint`]: [`Endpoint::start`]
//! (an empty endpoint), [`Endpoint::demo`] (`rootward serve --demo`, with
//! seeded root credentials) and [`Endpoint::in_process`].

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

use aws_credential_types::Credentials;
use serde_json::Value;

pub const MANAGEMENT: &str = "111111111111";
pub const KEY: &str = "AKIAOPERATORTEST0001";
pub const SECRET: &str = "operatorTestSecret0123456789abcdefghijkl";

pub struct Endpoint {
    /// The `rootward serve` process, or none for an in-process endpoint.
    child: Option<Child>,
    /// The domain of an in-process endpoint: a seeding hook for what no
    /// public API creates (root access keys).
    pub svc: Option<std::sync::Arc<rootward_core::Service>>,
    _stop: Option<tokio::sync::oneshot::Sender<()>>,
    pub url: String,
    pub dir: tempfile::TempDir,
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        if let Some(c) = &mut self.child {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A run of the `rootward` binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// What `serve --demo` seeded and printed.
pub struct Demo {
    pub breaking_glass: String,
    pub sandbox: String,
    pub payments: String,
    pub data: String,
    pub web: String,
    /// `breakglass-alice` in Breaking Glass (the delegated administrator).
    pub operator: Creds,
    /// The long-term root access keys of two older accounts.
    pub payments_root_key: Creds,
    pub web_root_key: Creds,
}

/// Credentials a run of the tool uses.
#[derive(Clone)]
pub struct Creds {
    pub key: String,
    pub secret: String,
    pub token: Option<String>,
}

impl Creds {
    pub fn admin() -> Creds {
        Creds {
            key: KEY.into(),
            secret: SECRET.into(),
            token: None,
        }
    }
}

impl Endpoint {
    /// An empty endpoint: management account 111111111111 with user `admin`.
    pub fn start() -> Endpoint {
        Endpoint::spawn(&[]).0
    }

    /// `rootward serve --demo`: the seeded organization, its ids and the
    /// credentials the server printed.
    pub fn demo() -> (Endpoint, Demo) {
        let (ep, lines) = Endpoint::spawn(&["--demo"]);
        let seeded = lines
            .iter()
            .find_map(|l| l.strip_prefix("# demo: organization seeded: "))
            .unwrap_or_else(|| panic!("no demo line: {lines:?}"));
        // "Breaking Glass ID (delegated administrator), Sandbox ID, Legacy Payments ID, …"
        let id_of = |name: &str| {
            let rest = seeded
                .split(&format!("{name} "))
                .nth(1)
                .unwrap_or_else(|| panic!("{name} not in {seeded}"));
            rest.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        };
        // Each credential: "# demo: LABEL" then "export AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… …".
        let mut credentials = Vec::new();
        for pair in lines.windows(2) {
            if let (Some(label), Some(export)) = (
                pair[0].strip_prefix("# demo: "),
                pair[1].strip_prefix("export "),
            ) {
                let field = |name: &str| {
                    export
                        .split_whitespace()
                        .find_map(|w| w.strip_prefix(&format!("{name}=")))
                        .unwrap()
                        .to_owned()
                };
                credentials.push((
                    label.to_owned(),
                    Creds {
                        key: field("AWS_ACCESS_KEY_ID"),
                        secret: field("AWS_SECRET_ACCESS_KEY"),
                        token: None,
                    },
                ));
            }
        }
        let creds = |prefix: &str| {
            credentials
                .iter()
                .find(|(l, _)| l.starts_with(prefix))
                .map(|(_, c)| c.clone())
                .unwrap_or_else(|| panic!("no `{prefix}` credentials in {lines:?}"))
        };
        let demo = Demo {
            breaking_glass: id_of("Breaking Glass"),
            sandbox: id_of("Sandbox"),
            payments: id_of("Legacy Payments"),
            data: id_of("Legacy Data"),
            web: id_of("Legacy Web"),
            operator: creds("Breaking Glass operator"),
            payments_root_key: creds("Legacy Payments root user's access key"),
            web_root_key: creds("Legacy Web root user's access key"),
        };
        (ep, demo)
    }

    /// Starts `rootward serve` with `extra` arguments; its stdout lines up to
    /// `listening on`.
    #[expect(
        clippy::zombie_processes,
        reason = "Drop kills and waits for the child"
    )]
    fn spawn(extra: &[&str]) -> (Endpoint, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_rootward"))
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--account-id",
                MANAGEMENT,
                "--data",
            ])
            .arg(dir.path().join("data"))
            .args(extra)
            .env("ROOTWARD_BOOTSTRAP_ACCESS_KEY_ID", KEY)
            .env("ROOTWARD_BOOTSTRAP_SECRET_ACCESS_KEY", SECRET)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            assert!(
                out.read_line(&mut line).unwrap() > 0,
                "server exited early: {lines:?}"
            );
            let line = line.trim_end().to_owned();
            if let Some(url) = line.strip_prefix("listening on ") {
                let url = url.to_owned();
                // Keep draining stdout so the server never blocks on it.
                std::thread::spawn(move || for _ in out.lines() {});
                let ep = Endpoint {
                    child: Some(child),
                    svc: None,
                    _stop: None,
                    url,
                    dir,
                };
                return (ep, lines);
            }
            lines.push(line);
        }
    }

    /// The endpoint inside the test process (same server code as `serve`),
    /// for cases that seed state no public API can create.
    pub async fn in_process() -> Endpoint {
        let dir = tempfile::tempdir().unwrap();
        let mut config = rootward_server::Config::new(dir.path());
        config.master_key = rootward_server::MasterKeySource::Ephemeral;
        config.trail_delivery = None;
        config.outbox = false;
        let server = rootward_server::Server::open(config).unwrap();
        let svc = server.svc().clone();
        rootward_core::bootstrap::bootstrap(&svc, Some(MANAGEMENT), Some(KEY), Some(SECRET))
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let state = server.state().clone();
        tokio::spawn(async move {
            let _server = server;
            rootward_server::serve(listener, state, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        Endpoint {
            child: None,
            svc: Some(svc),
            _stop: Some(tx),
            url,
            dir,
        }
    }

    /// Gives a member's root user a long-term access key (in-process only).
    pub fn seed_root_key(&self, account: &str, id: &str, secret: &str) {
        use rootward_core::model::{AccessKey, KeyOwner, KeyStatus, Record};
        let svc = self.svc.as_ref().expect("an in-process endpoint");
        svc.put(Record::AccessKey(AccessKey {
            id: id.to_owned(),
            secret: rootward_core::secret::Secret::new(secret.to_owned()),
            account: account.to_owned(),
            owner: KeyOwner::Root,
            status: KeyStatus::Active,
            created: svc.now(),
            last_used: None,
        }))
        .unwrap();
    }

    /// Runs the tool without blocking the runtime (for in-process endpoints).
    pub async fn run_async(&self, args: &[&str]) -> Run {
        let mut cmd = tokio::process::Command::from(self.command(&Creds::admin(), args));
        cmd.output().await.unwrap().into()
    }

    pub fn sdk(&self, c: &Creds) -> aws_config::SdkConfig {
        aws_config::SdkConfig::builder()
            .endpoint_url(&self.url)
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(Credentials::new(
                    &c.key,
                    &c.secret,
                    c.token.clone(),
                    None,
                    "operator-tests",
                )),
            )
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build()
    }

    pub fn admin(&self) -> aws_config::SdkConfig {
        self.sdk(&Creds::admin())
    }

    pub fn ledger(&self) -> PathBuf {
        self.dir.path().join("ledger.jsonl")
    }

    /// The tool's command with a clean AWS environment pointing here.
    pub fn command(&self, c: &Creds, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rootward"));
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("AWS_CONFIG_FILE", self.dir.path().join("no-config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.dir.path().join("no-credentials"),
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ENDPOINT_URL", &self.url)
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", &c.key)
            .env("AWS_SECRET_ACCESS_KEY", &c.secret)
            .env("ROOTWARD_LEDGER", self.ledger())
            .stdin(Stdio::null());
        if let Some(t) = &c.token {
            cmd.env("AWS_SESSION_TOKEN", t);
        }
        cmd
    }

    pub fn run_as(&self, c: &Creds, args: &[&str]) -> Run {
        self.command(c, args).output().unwrap().into()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_as(&Creds::admin(), args)
    }

    /// An organization with `names.len()` new member accounts (no trusted
    /// access, no features); their ids in order.
    pub async fn organization(&self, names: &[&str]) -> Vec<String> {
        let org = aws_sdk_organizations::Client::new(&self.admin());
        org.create_organization().send().await.unwrap();
        let mut ids = Vec::new();
        for n in names {
            let req = org
                .create_account()
                .email(format!("{n}@example.com"))
                .account_name(*n)
                .send()
                .await
                .unwrap();
            let req = req
                .create_account_status()
                .unwrap()
                .id()
                .unwrap()
                .to_owned();
            let st = org
                .describe_create_account_status()
                .create_account_request_id(req)
                .send()
                .await
                .unwrap();
            ids.push(
                st.create_account_status()
                    .unwrap()
                    .account_id()
                    .unwrap()
                    .to_owned(),
            );
        }
        ids
    }

    /// `POST /_rootward/signin` (the root sign-in page stand-in): the HTTP
    /// status and the body.
    pub fn signin(&self, email: &str, password: &str) -> (u16, String) {
        self.stand_in(
            "POST",
            "/_rootward/signin",
            Some(serde_json::json!({"email": email, "password": password})),
        )
    }

    /// One request to a sign-in page stand-in (JSON body when given): the
    /// HTTP status and the body.
    pub fn stand_in(&self, method: &str, path: &str, body: Option<Value>) -> (u16, String) {
        use std::io::{Read as _, Write as _};
        let host = self.url.trim_start_matches("http://");
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut conn = std::net::TcpStream::connect(host).unwrap();
        write!(
            conn,
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        conn.read_to_string(&mut answer).unwrap();
        let status = answer
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("not HTTP: {answer}"));
        let body = answer
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        (status, body)
    }

    /// Credentials of `OrganizationAccountAccessRole` in `account`.
    pub async fn admin_role_in(&self, account: &str) -> Creds {
        let out = aws_sdk_sts::Client::new(&self.admin())
            .assume_role()
            .role_arn(format!(
                "arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
            ))
            .role_session_name("operator")
            .send()
            .await
            .unwrap();
        let c = out.credentials().unwrap();
        Creds {
            key: c.access_key_id().to_owned(),
            secret: c.secret_access_key().to_owned(),
            token: Some(c.session_token().to_owned()),
        }
    }
}

/// `accounts[]` of a JSON report, by account id.
pub fn by_account<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["account_id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {report}"))
}
