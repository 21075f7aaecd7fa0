//! A real server on a loopback port, on a temporary store, and SDK configs
//! that sign for it.

use std::sync::Arc;

use aws_credential_types::Credentials;
use rootward_core::Service;
use rootward_core::bootstrap::bootstrap;
use rootward_core::clock::SystemClock;
use rootward_core::store::sqlite::SqliteStore;
use rootward_server::AppState;

pub const ACCOUNT: &str = "111111111111";
pub const ADMIN_KEY: &str = "AKIAROOTWARDADMIN001";
pub const ADMIN_SECRET: &str = "adminSecretKeyForTestsOnly0123456789ABCD";

#[allow(dead_code)]
pub struct Server {
    pub url: String,
    pub svc: Arc<Service>,
    pub clock: SystemClock,
    dir: Arc<tempfile::TempDir>,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl Server {
    pub async fn start() -> Server {
        Server::open(Arc::new(tempfile::tempdir().unwrap())).await
    }

    /// A second server on the same data directory, as after a restart: the
    /// state is loaded back from the store.
    #[allow(dead_code)]
    pub async fn reopen(&self) -> Server {
        Server::open(self.dir.clone()).await
    }

    async fn open(dir: Arc<tempfile::TempDir>) -> Server {
        let store = SqliteStore::open(&dir.path().join("state.db")).unwrap();
        let clock = SystemClock::default();
        let svc = Arc::new(Service::open(Box::new(store), Arc::new(clock.clone())).unwrap());
        bootstrap(&svc, Some(ACCOUNT), Some(ADMIN_KEY), Some(ADMIN_SECRET)).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let state = AppState { svc: svc.clone() };
        tokio::spawn(async move {
            rootward_server::serve(listener, state, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        Server {
            url,
            svc,
            clock,
            dir,
            _shutdown: tx,
        }
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
