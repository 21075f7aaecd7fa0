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
    _dir: tempfile::TempDir,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl Server {
    pub async fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
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
            _dir: dir,
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
