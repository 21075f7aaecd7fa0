use std::io::Write as _;
use std::process::Stdio;

use serde_json::Value;

use crate::fixture::{Creds, Endpoint, MANAGEMENT, SECRET, by_account};

fn classes(report: &Value) -> Vec<(String, String)> {
    report["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["account_id"].as_str().unwrap().to_owned(),
                a["class"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn enable_status_audit_recovery_delete_exec_trail() {
    let ep = Endpoint::start();
    let ids = ep.organization(&["app", "data", "breakglass"]).await;
    let (app, data, breakglass) = (&ids[0], &ids[1], &ids[2]);

    // Before `enable`: findings, the AssumeRoot probe fails with its code.
    let r = ep.run(&["status", "--output", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let s = r.json();
    assert_eq!(s["management_account"], MANAGEMENT);
    assert_eq!(s["trusted_access_iam"], false);
    assert_eq!(s["can_assume_root"]["result"], "no");
    assert_eq!(s["can_assume_root"]["error"]["code"], "AccessDenied");
    assert_eq!(
        s["features_error"]["code"],
        "ServiceAccessNotEnabledException"
    );

    // enable: everything changes, then nothing does.
    let r = ep.run(&["enable", "--delegate", breakglass, "--output", "json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let steps = r.json()["steps"].clone();
    let statuses: Vec<&str> = steps
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["changed"; 4], "{steps}");
    let r = ep.run(&["enable", "--delegate", breakglass, "--output", "json"]);
    assert_eq!(r.code, 0);
    assert!(
        r.json()["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "unchanged")
    );

    let r = ep.run(&["status", "--output", "json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let s = r.json();
    assert!(s["organization_id"].as_str().unwrap().starts_with("o-"));
    assert_eq!(s["trusted_access_iam"], true);
    assert_eq!(s["features"]["root_credentials_management"], true);
    assert_eq!(s["features"]["root_sessions"], true);
    assert_eq!(
        s["delegated_administrators"],
        serde_json::json!([breakglass])
    );
    assert_eq!(s["can_assume_root"]["result"], "yes");
    let r = ep.run(&["status"]);
    assert!(r.stdout.contains("caller can AssumeRoot"), "{}", r.stdout);

    // New accounts have no root credentials: exit 0, never "without MFA".
    let r = ep.run(&["audit", "--all", "--output", "json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let a = r.json();
    assert_eq!(
        a["accounts"].as_array().unwrap().len(),
        3,
        "never the management account"
    );
    assert!(classes(&a).iter().all(|(_, c)| c == "no-root-credentials"));
    assert_eq!(a["summary"]["no-root-credentials"], 3);
    assert_eq!(a["summary"]["password-without-mfa"], 0);
    assert_eq!(by_account(&a, app)["account_name"], "app");
    assert!(
        r.stderr
            .contains("audit: 3 accounts: 3 no-root-credentials"),
        "{}",
        r.stderr
    );

    // A ledger that cannot be written (here a directory) stops
    // allow-recovery before the root password is re-opened.
    let not_a_file = ep.dir.path().join("ledger-dir");
    std::fs::create_dir(&not_a_file).unwrap();
    let r = ep.run(&[
        "allow-recovery",
        "--account",
        data,
        "--ledger",
        not_a_file.to_str().unwrap(),
    ]);
    assert_ne!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("cannot open the ledger"), "{}", r.stderr);
    let r = ep.run(&["audit", "--account", data, "--output", "json"]);
    assert_eq!(
        by_account(&r.json(), data)["class"],
        "no-root-credentials",
        "no login profile was made"
    );

    // allow-recovery: warns, records who asked; a second run changes nothing.
    let r = ep.run(&[
        "allow-recovery",
        "--account",
        app,
        "--reason",
        "INC-42",
        "--output",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("re-opens the root password"),
        "{}",
        r.stderr
    );
    let rec = r.json();
    assert_eq!(rec["status"], "created");
    assert_eq!(
        rec["requested_by"],
        format!("arn:aws:iam::{MANAGEMENT}:user/admin")
    );
    let ledger = std::fs::read_to_string(ep.ledger()).unwrap();
    assert!(
        ledger.contains(app.as_str()) && ledger.contains("INC-42"),
        "{ledger}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(ep.ledger()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the ledger is private");
    }
    let r = ep.run(&["allow-recovery", "--account", app, "--output", "json"]);
    assert_eq!(
        (r.code, r.json()["status"].clone()),
        (0, "already-present".into())
    );

    // The recovery rule: known from the ledger → recovery-enabled; the same
    // profile without the ledger is reported as a password.
    let r = ep.run(&["audit", "--all", "--output", "json"]);
    assert_eq!(r.code, 1);
    let a = r.json();
    assert_eq!(by_account(&a, app)["class"], "recovery-enabled");
    assert_eq!(by_account(&a, app)["password"]["recovery_only"], true);
    assert_eq!(by_account(&a, data)["class"], "no-root-credentials");
    assert_eq!(a["summary"]["recovery-enabled"], 1);
    let other = ep.dir.path().join("empty-ledger.jsonl");
    let r = ep.run(&[
        "audit",
        "--account",
        app,
        "--output",
        "json",
        "--ledger",
        other.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1);
    assert_eq!(by_account(&r.json(), app)["class"], "password-without-mfa");

    // CSV and the table.
    let r = ep.run(&[
        "audit",
        "--account",
        app,
        "--account",
        data,
        "--output",
        "csv",
    ]);
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "account,name,class,password,mfa,access_keys,certificates,error"
    );
    assert_eq!(lines[1], format!("{app},,recovery-enabled,recovery,0,0,0,"));
    assert_eq!(lines.len(), 3);
    let r = ep.run(&["audit", "--all"]);
    assert!(
        r.stdout
            .contains("audit: 3 accounts: 2 no-root-credentials, 1 recovery-enabled"),
        "{}",
        r.stdout
    );

    // A failing account is listed with its code, not dropped.
    let r = ep.run(&[
        "audit",
        "--account",
        "999999999999",
        "--account",
        data,
        "--output",
        "json",
    ]);
    assert_eq!(r.code, 1);
    let a = r.json();
    assert_eq!(by_account(&a, "999999999999")["class"], "error");
    assert_eq!(
        by_account(&a, "999999999999")["error"]["code"],
        "AccessDenied"
    );
    assert_eq!(by_account(&a, data)["class"], "no-root-credentials");
    assert_eq!(a["summary"]["error"], 1);

    // Usage errors: the management account, a bad id, no selection.
    for args in [
        &["audit", "--account", MANAGEMENT][..],
        &["audit", "--account", "12345"],
        &["audit"],
    ] {
        let r = ep.run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    }

    // delete-credentials: the plan, the refusal without confirmation, the deletion.
    let r = ep.run(&[
        "delete-credentials",
        "--all",
        "--dry-run",
        "--output",
        "json",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let d = r.json();
    assert_eq!(d["dry_run"], true);
    assert_eq!(by_account(&d, app)["status"], "planned");
    assert_eq!(by_account(&d, data)["status"], "nothing-to-delete");
    let r = ep.run(&["delete-credentials", "--all"]);
    assert_eq!(r.code, 2, "no confirmation on an empty stdin: {}", r.stderr);
    assert!(r.stderr.contains("3 accounts"), "{}", r.stderr);
    let r = ep.run(&["audit", "--account", app, "--output", "json"]);
    assert_eq!(
        by_account(&r.json(), app)["class"],
        "recovery-enabled",
        "nothing changed"
    );
    let mut child = ep
        .command(
            &Creds::admin(),
            &["delete-credentials", "--account", app, "--output", "json"],
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"yes\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(by_account(&d, app)["deleted"]["password"], true);
    assert_eq!(by_account(&d, app)["class_after"], "no-root-credentials");
    let r = ep.run(&["delete-credentials", "--all", "--yes", "--output", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.json()["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["class_after"] == "no-root-credentials")
    );
    let r = ep.run(&["audit", "--all", "--output", "json"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.json()["summary"]["no-root-credentials"], 3);

    // exec: the child has the root session; the tool prints no secret.
    let aws_cli = std::process::Command::new("aws")
        .arg("--version")
        .output()
        .is_ok();
    let cmd: &[&str] = if aws_cli {
        &["aws", "sts", "get-caller-identity", "--output", "json"]
    } else {
        &["env"]
    };
    let mut args = vec!["exec", "--account", data.as_str(), "--task", "audit", "--"];
    args.extend_from_slice(cmd);
    let r = ep.run(&args);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("expires"), "{}", r.stderr);
    assert!(!r.stderr.contains("AWS_SECRET_ACCESS_KEY") && !r.stderr.contains(SECRET));
    if aws_cli {
        let who: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(who["Arn"], format!("arn:aws:iam::{data}:root"));
    } else {
        assert!(r.stdout.contains("AWS_SESSION_TOKEN="));
        assert!(r.stdout.contains("AWS_ACCESS_KEY_ID=ASIA"));
    }
    let r = ep.run(&[
        "exec",
        "--account",
        data,
        "--task",
        "audit",
        "--",
        "sh",
        "-c",
        "exit 3",
    ]);
    assert_eq!(r.code, 3, "the command's exit status");
    let r = ep.run(&["exec", "--account", data, "--task", "root", "--", "true"]);
    assert_eq!(r.code, 2);

    // trail: who, which account, which task, when, from where.
    let r = ep.run(&["trail", "--since", "1h", "--output", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let t = r.json();
    let events = t["events"].as_array().unwrap();
    let recovery = events
        .iter()
        .find(|e| e["task"] == "IAMCreateRootUserPassword" && e["error_code"].is_null())
        .unwrap_or_else(|| panic!("{t}"));
    assert_eq!(recovery["target_account"], app.as_str());
    assert_eq!(
        recovery["caller"],
        format!("arn:aws:iam::{MANAGEMENT}:user/admin")
    );
    assert!(recovery["source_ip"].as_str().is_some());
    assert!(recovery["time"].as_str().unwrap().starts_with("20"));
    assert!(
        events
            .iter()
            .any(|e| e["target_account"] == "999999999999" && e["error_code"] == "AccessDenied")
    );
    assert!(
        events
            .iter()
            .any(|e| e["task"] == "IAMDeleteRootUserCredentials")
    );
    assert!(!r.stdout.contains("sessionToken"));
}

#[tokio::test(flavor = "multi_thread")]
async fn delegated_administrator_with_an_scp_denied_account() {
    let ep = Endpoint::start();
    let ids = ep
        .organization(&["one", "two", "fenced", "breakglass"])
        .await;
    let (fenced, da) = (&ids[2], &ids[3]);
    let r = ep.run(&["enable", "--delegate", da]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);

    // `fenced` sits in an OU whose SCP denies GetAccountSummary.
    let org = aws_sdk_organizations::Client::new(&ep.admin());
    let root = org.list_roots().send().await.unwrap().roots()[0]
        .id()
        .unwrap()
        .to_owned();
    let ou = org
        .create_organizational_unit()
        .parent_id(&root)
        .name("Fenced")
        .send()
        .await
        .unwrap()
        .organizational_unit()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    let child = org
        .create_organizational_unit()
        .parent_id(&ou)
        .name("Inner")
        .send()
        .await
        .unwrap()
        .organizational_unit()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    org.move_account()
        .account_id(fenced)
        .source_parent_id(&root)
        .destination_parent_id(&child)
        .send()
        .await
        .unwrap();
    let scp = org
        .create_policy()
        .name("NoSummary")
        .description("")
        .r#type(aws_sdk_organizations::types::PolicyType::ServiceControlPolicy)
        .content(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:GetAccountSummary","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap()
        .policy()
        .unwrap()
        .policy_summary()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    org.attach_policy()
        .policy_id(scp)
        .target_id(&ou)
        .send()
        .await
        .unwrap();

    // The delegated administrator audits everything it may; `fenced` is
    // reported with its code, the others are audited.
    let creds = ep.admin_role_in(da).await;
    let r = ep.run_as(
        &creds,
        &["audit", "--all", "--output", "json", "--concurrency", "2"],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let a = r.json();
    assert_eq!(a["accounts"].as_array().unwrap().len(), 4);
    assert_eq!(by_account(&a, fenced)["class"], "error");
    assert_eq!(by_account(&a, fenced)["error"]["code"], "AccessDenied");
    assert_eq!(a["summary"]["no-root-credentials"], 3);
    assert_eq!(a["summary"]["error"], 1);

    // --ou is recursive.
    let r = ep.run_as(&creds, &["audit", "--ou", &ou, "--output", "json"]);
    assert_eq!(r.code, 1);
    assert_eq!(classes(&r.json()), [(fenced.clone(), "error".to_owned())]);

    // A member that is not the delegated administrator: AccessDenied per account.
    let member = ep.admin_role_in(&ids[0]).await;
    let r = ep.run_as(
        &member,
        &["audit", "--account", &ids[1], "--output", "json"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        by_account(&r.json(), &ids[1])["error"]["code"],
        "AccessDenied"
    );

    // Unlocking a missing bucket or queue: exit 1 with the code, no backup.
    // (Stable across the S3/SQS merge: today the endpoint answers without an
    // S3/SQS code, afterwards with NoSuchBucket / the SQS queue error.)
    let backup = ep.dir.path().join("backup.json");
    let queue_url = format!("{}/{}/missing-queue", ep.url, ids[0]);
    for args in [
        &[
            "unlock-bucket",
            "--account",
            &ids[0],
            "--bucket",
            "missing-bucket",
        ][..],
        &[
            "unlock-queue",
            "--account",
            &ids[0],
            "--queue-url",
            &queue_url,
        ],
    ] {
        let mut args = args.to_vec();
        args.extend(["--backup", backup.to_str().unwrap(), "--output", "json"]);
        let r = ep.run(&args);
        assert_eq!(r.code, 1, "{args:?}: {}{}", r.stdout, r.stderr);
        let u = r.json();
        assert_eq!(u["action"], "failed");
        assert!(!u["error"]["code"].as_str().unwrap().is_empty());
        assert!(u["backup"].is_null());
        assert!(!backup.exists());
    }

    // Bad credentials are a set-up error.
    let bad = Creds {
        key: "AKIANOSUCHKEY0000001".into(),
        secret: SECRET.into(),
        token: None,
    };
    let r = ep.run_as(&bad, &["audit", "--all"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("InvalidClientTokenId"), "{}", r.stderr);
}

#[test]
fn policy_generate_outputs_validate() {
    for (which, kind) in [
        ("operator", "identity"),
        ("administrator", "identity"),
        ("deny-root-password-scp", "scp"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rootward"))
            .args(["policy", "generate", which])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let mut v = std::process::Command::new(env!("CARGO_BIN_EXE_rootward"))
            .args(["policy", "validate", "--kind", kind, "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        v.stdin.take().unwrap().write_all(&out.stdout).unwrap();
        let v = v.wait_with_output().unwrap();
        assert_eq!(
            v.status.code(),
            Some(0),
            "{which}: {}",
            String::from_utf8_lossy(&v.stdout)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("sts:TaskPolicyArn") || kind == "scp");
        assert_eq!(
            text.contains("IAMDeleteRootUserCredentials"),
            which == "administrator",
            "{which}"
        );
    }
}

#[test]
fn unlock_refuses_an_invalid_replacement_before_any_call() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#).unwrap();
    for args in [
        &[
            "unlock-bucket",
            "--account",
            "222222222222",
            "--bucket",
            "b",
        ][..],
        &[
            "unlock-queue",
            "--account",
            "222222222222",
            "--queue-url",
            "https://sqs.us-east-1.amazonaws.com/222222222222/q",
        ],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rootward"))
            .args(args)
            .arg("--replace-with")
            .arg(&bad)
            // Nothing listens here: a call would fail differently.
            .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "AKIAX")
            .env("AWS_SECRET_ACCESS_KEY", "x")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("not a valid resource policy"), "{err}");
        assert!(
            std::fs::read_dir(dir.path()).unwrap().count() == 1,
            "no backup written"
        );
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rootward"))
        .args([
            "unlock-queue",
            "--account",
            "333333333333",
            "--queue-url",
            "https://sqs.us-east-1.amazonaws.com/222222222222/q",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "the URL names another account");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_interrupted_run_reports_what_it_did() {
    let ep = Endpoint::start();
    let names: Vec<String> = (0..150).map(|i| format!("a{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    ep.organization(&names).await;
    assert_eq!(ep.run(&["enable"]).code, 0);
    let child = ep
        .command(
            &Creds::admin(),
            &["audit", "--all", "--output", "json", "--concurrency", "1"],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let a: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(a["interrupted"], true);
    let accounts = a["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 150, "every account is reported");
    let done = accounts
        .iter()
        .filter(|a| a["class"] == "no-root-credentials")
        .count();
    let not_run = accounts
        .iter()
        .filter(|a| a["error"]["code"] == "Interrupted")
        .count();
    assert!(done > 0 && not_run > 0, "{done} done, {not_run} not run");
    assert_eq!(done + not_run, 150);
}

/// Root access keys exist only through root sign-in; the in-process endpoint
/// seeds one (the hook spec 02 §2.6.1 asks for).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn root_access_keys_are_found_then_deleted_and_stop_working() {
    const ROOT_KEY: &str = "AKIAMEMBERROOTKEY001";
    const ROOT_SECRET: &str = "rootKeySecret000000000000000000000000000";
    let ep = Endpoint::in_process().await;
    let ids = ep.organization(&["keyed", "clean"]).await;
    let (keyed, clean) = (&ids[0], &ids[1]);
    assert_eq!(ep.run_async(&["enable"]).await.code, 0);
    ep.seed_root_key(keyed, ROOT_KEY, ROOT_SECRET);
    let root = aws_sdk_sts::Client::new(&ep.sdk(&Creds {
        key: ROOT_KEY.into(),
        secret: ROOT_SECRET.into(),
        token: None,
    }));
    root.get_caller_identity().send().await.unwrap();

    let r = ep.run_async(&["audit", "--all", "--output", "json"]).await;
    assert_eq!(r.code, 1, "{}", r.stderr);
    let a = r.json();
    let row = by_account(&a, keyed);
    assert_eq!(row["class"], "access-keys-present");
    assert_eq!(row["access_keys"][0]["access_key_id"], ROOT_KEY);
    assert_eq!(row["access_keys"][0]["status"], "Active");
    assert_eq!(row["access_keys"][0]["last_used_service"], "sts");
    assert!(row["access_keys"][0]["last_used"].is_string());
    assert_eq!(by_account(&a, clean)["class"], "no-root-credentials");
    assert_eq!(a["summary"]["access-keys-present"], 1);

    let r = ep
        .run_async(&["delete-credentials", "--all", "--yes", "--output", "json"])
        .await;
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let d = r.json();
    assert_eq!(
        by_account(&d, keyed)["deleted"]["access_keys"],
        serde_json::json!([ROOT_KEY])
    );
    assert_eq!(by_account(&d, keyed)["class_before"], "access-keys-present");
    assert_eq!(by_account(&d, keyed)["class_after"], "no-root-credentials");
    assert_eq!(by_account(&d, clean)["status"], "nothing-to-delete");
    let e = root.get_caller_identity().send().await.unwrap_err();
    assert_eq!(
        aws_sdk_sts::error::ProvideErrorMetadata::code(&e),
        Some("InvalidClientTokenId"),
        "the deleted key no longer works"
    );
}
