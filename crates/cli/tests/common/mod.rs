//! What the tests of the `rootward serve` process share: the command that
//! starts it on a free loopback port with a bootstrap key, reading its
//! start-up output up to the URL, and SDK configs that sign for it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use aws_credential_types::Credentials;

/// `rootward serve` on `127.0.0.1:0` for account `111111111111`, its data
/// under `data`, with the bootstrap access key `key`/`secret`; callers add
/// flags, environment and stderr before [`spawn`].
pub fn serve_command(data: &Path, key: &str, secret: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rootward"));
    cmd.args([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--account-id",
        "111111111111",
        "--data",
    ])
    .arg(data)
    .env("ROOTWARD_BOOTSTRAP_ACCESS_KEY_ID", key)
    .env("ROOTWARD_BOOTSTRAP_SECRET_ACCESS_KEY", secret);
    cmd
}

/// Spawns `cmd` (a [`serve_command`]) and reads its stdout up to
/// `listening on URL`: the child, the URL and the lines read, that one
/// included. Stdout is drained afterwards so the server never blocks on it.
#[expect(
    clippy::zombie_processes,
    reason = "the caller stops and waits for the child"
)]
pub fn spawn(mut cmd: Command) -> (Child, String, Vec<String>) {
    let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
    let mut lines = Vec::new();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    loop {
        let mut line = String::new();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "server exited early: {lines:?}"
        );
        let line = line.trim_end().to_owned();
        if let Some(url) = line.strip_prefix("listening on ") {
            let url = url.to_owned();
            lines.push(line);
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut out, &mut std::io::sink());
            });
            return (child, url, lines);
        }
        lines.push(line);
    }
}

/// An SDK config signing for `url` with these credentials, in `us-east-1`.
pub fn config(url: &str, key: &str, secret: &str, token: Option<&str>) -> aws_config::SdkConfig {
    aws_config::SdkConfig::builder()
        .endpoint_url(url)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(Credentials::new(
                key,
                secret,
                token.map(str::to_owned),
                None,
                "test",
            )),
        )
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build()
}
