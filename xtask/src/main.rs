//! Repository tasks.
//!
//! `cargo xtask codegen` reads the pinned service models in `models/` and
//! the supplementary tables in `models/extra/` and writes
//! `crates/model/src/generated/*.rs` (rustfmt'd) and
//! `docs/compatibility.md`. `cargo xtask codegen --check` writes nothing
//! and fails when any of those files differs from what it would write (CI
//! runs it). Neither needs the network. Re-creating the trimmed models from
//! a botocore install is `python3 xtask/trim_models.py`.
#![allow(
    clippy::indexing_slicing,
    reason = "a build tool over checked-in inputs; its indexing follows lengths it just checked"
)]

mod docs;
mod emit;
mod extra;
mod json;
mod model;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// The services, by model file stem.
const SERVICES: &[&str] = &[
    "account",
    "cloudtrail",
    "ec2",
    "iam",
    "organizations",
    "s3",
    "sqs",
    "sts",
];

fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn rustfmt(code: &str, root: &Path) -> Result<String, String> {
    let rustfmt = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".to_owned());
    let mut child = Command::new(rustfmt)
        .args(["--edition", "2024", "--emit", "stdout"])
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("rustfmt: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(code.as_bytes())
            .map_err(|e| format!("rustfmt: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("rustfmt: {e}"))
}

/// Every generated file: (path relative to the root, contents).
fn generate(root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let source = read(&root.join("models/SOURCE"))?.trim().to_owned();
    let mut files = Vec::new();
    let mut summaries = Vec::new();
    for svc in SERVICES {
        let text = read(&root.join(format!("models/{svc}.json")))?;
        let json: json::J =
            serde_json::from_str(&text).map_err(|e| format!("models/{svc}.json: {e}"))?;
        let model = model::Model {
            service: (*svc).to_owned(),
            json,
        };
        let extra_path = root.join(format!("models/extra/{svc}.txt"));
        let extra = extra::parse(&read(&extra_path)?)
            .map_err(|e| format!("models/extra/{svc}.txt: {e}"))?;
        let (code, summary) = emit::service_module(&model, &extra, &source)?;
        files.push((
            PathBuf::from(format!("crates/model/src/generated/{svc}.rs")),
            rustfmt(&code, root)?,
        ));
        summaries.push(summary);
    }
    let mut module = String::from(
        "//! The generated tables, one module per service: written by `cargo xtask codegen`\n//! from `models/`. Do not edit.\n\n",
    );
    for svc in SERVICES {
        module.push_str(&format!("pub mod {svc};\n"));
    }
    files.push((
        PathBuf::from("crates/model/src/generated/mod.rs"),
        rustfmt(&module, root)?,
    ));
    files.push((
        PathBuf::from("docs/compatibility.md"),
        docs::compatibility(&summaries, &source),
    ));
    Ok(files)
}

fn codegen(check: bool) -> Result<(), String> {
    let root = root();
    let files = generate(&root)?;
    let mut stale = Vec::new();
    for (rel, contents) in &files {
        let path = root.join(rel);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == *contents {
            continue;
        }
        if check {
            stale.push(rel.display().to_string());
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(&path, contents).map_err(|e| format!("{}: {e}", path.display()))?;
            println!("wrote {}", rel.display());
        }
    }
    if stale.is_empty() {
        if check {
            println!("generated code is up to date ({} files)", files.len());
        }
        Ok(())
    } else {
        Err(format!(
            "generated code is stale; run `cargo xtask codegen` and commit:\n  {}",
            stale.join("\n  ")
        ))
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        _ => Err("usage: cargo xtask codegen [--check]".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
