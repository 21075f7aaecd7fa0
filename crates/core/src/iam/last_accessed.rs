//! `GenerateServiceLastAccessedDetails` / `GetServiceLastAccessedDetails`,
//! from the use already recorded: each long-term access key's last use
//! (service, region, time). The services reported are those the entity's
//! policies allow by name (`s3:GetObject` → `s3`) and those its keys used.
//! Role sessions are not recorded, so a role's services show no access.

use std::collections::BTreeMap;

use rand::RngCore;

use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{AccessReport, Change, KeyOwner, Record, ServiceAccess, User, table};
use crate::service::Service;
use crate::state::State;

/// Reports kept per account; the oldest go first.
pub const REPORTS_PER_ACCOUNT: usize = 100;

fn job_id() -> String {
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        h.get(..8).unwrap_or(""),
        h.get(8..12).unwrap_or(""),
        h.get(12..16).unwrap_or(""),
        h.get(16..20).unwrap_or(""),
        h.get(20..).unwrap_or("")
    )
}

/// Service namespaces a policy document allows by name (`Allow` statements'
/// `Action`; `*` and `NotAction` name none).
fn allowed_namespaces(doc: &str, out: &mut std::collections::BTreeSet<String>) {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(doc) else {
        return;
    };
    let statements = match v.get("Statement") {
        Some(serde_json::Value::Array(a)) => a.clone(),
        Some(s @ serde_json::Value::Object(_)) => vec![s.clone()],
        _ => return,
    };
    for s in statements {
        if s.get("Effect").and_then(|e| e.as_str()) != Some("Allow") {
            continue;
        }
        let actions = match s.get("Action") {
            Some(serde_json::Value::String(a)) => vec![a.clone()],
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        for a in actions {
            if let Some((ns, _)) = a.split_once(':')
                && !ns.contains('*')
            {
                out.insert(ns.to_ascii_lowercase());
            }
        }
    }
}

/// The users and policy documents behind an ARN (a user, group, role or
/// managed policy of the account).
fn subject(state: &State, account: &str, arn: &str) -> Result<(Vec<User>, Vec<String>), CoreError> {
    let no_such = || CoreError::NoSuchEntity(format!("Entity {arn} does not exist."));
    let managed_docs = |arns: &[String]| -> Vec<String> {
        arns.iter()
            .filter_map(|a| state.managed_policy(a).map(|p| p.document().to_owned()))
            .collect()
    };
    let parsed = crate::ident::Arn::parse(arn)
        .ok()
        .filter(|a| {
            (a.partition(), a.service(), a.region()) == ("aws", "iam", "")
                && (a.account() == account || a.account() == "aws")
        })
        .ok_or_else(no_such)?;
    let (kind, path_name) = parsed.resource().split_once('/').ok_or_else(no_such)?;
    let name = path_name.rsplit('/').next().unwrap_or(path_name);
    match kind {
        "user" => {
            let u = state
                .user(account, name)
                .filter(|u| u.arn() == arn)
                .ok_or_else(no_such)?;
            let mut docs: Vec<String> = u.inline_policies.values().cloned().collect();
            docs.extend(managed_docs(&u.attached_policies));
            for g in state.groups_for_user(account, &u.name) {
                docs.extend(g.inline_policies.values().cloned());
                docs.extend(managed_docs(&g.attached_policies));
            }
            Ok((vec![u.clone()], docs))
        }
        "group" => {
            let g = state
                .group(account, name)
                .filter(|g| g.arn() == arn)
                .ok_or_else(no_such)?;
            let mut docs: Vec<String> = g.inline_policies.values().cloned().collect();
            docs.extend(managed_docs(&g.attached_policies));
            let users = g
                .members
                .iter()
                .filter_map(|m| state.user(account, m).cloned())
                .collect();
            Ok((users, docs))
        }
        "role" => {
            let r = state
                .role(account, name)
                .filter(|r| r.arn() == arn)
                .ok_or_else(no_such)?;
            let mut docs: Vec<String> = r.inline_policies.values().cloned().collect();
            docs.extend(managed_docs(&r.attached_policies));
            Ok((Vec::new(), docs))
        }
        "policy" => {
            let p = state.managed_policy(arn).ok_or_else(no_such)?;
            let has = |v: &[String]| v.iter().any(|a| a == arn);
            let mut users: Vec<User> = state
                .users_of(account)
                .filter(|u| {
                    has(&u.attached_policies)
                        || state
                            .groups_for_user(account, &u.name)
                            .any(|g| has(&g.attached_policies))
                })
                .cloned()
                .collect();
            users.dedup_by(|a, b| a.id == b.id);
            Ok((users, vec![p.document().to_owned()]))
        }
        _ => Err(no_such()),
    }
}

/// `iam:GenerateServiceLastAccessedDetails`: computes the report now and
/// keeps it under a new job id.
pub fn generate(
    svc: &Service,
    caller: &Caller,
    arn: &str,
    granularity: Option<&str>,
) -> Result<String, CoreError> {
    // `Granularity` (`SERVICE_LEVEL` or `ACTION_LEVEL`) is the model's enum,
    // checked on decode.
    let granularity = granularity.unwrap_or("SERVICE_LEVEL").to_owned();
    svc.authorize(
        caller,
        "iam:GenerateServiceLastAccessedDetails",
        arn,
        None,
        &[],
    )?;
    let now = svc.now();
    let id = job_id();
    svc.mutate(|state| {
        let (users, docs) = subject(state, &caller.account, arn)?;
        let mut namespaces = std::collections::BTreeSet::new();
        for d in &docs {
            allowed_namespaces(d, &mut namespaces);
        }
        let mut by_ns: BTreeMap<String, ServiceAccess> = BTreeMap::new();
        for ns in namespaces {
            by_ns.insert(
                ns.clone(),
                ServiceAccess {
                    namespace: ns,
                    last_authenticated: None,
                    last_entity: None,
                    last_region: None,
                    total_entities: 0,
                },
            );
        }
        for u in &users {
            let mut seen = std::collections::BTreeSet::new();
            let keys = state.access_keys.values().filter(|k| {
                k.account == caller.account
                    && matches!(&k.owner, KeyOwner::User(n) if n.eq_ignore_ascii_case(&u.name))
            });
            for k in keys {
                let Some(used) = &k.last_used else { continue };
                let s = by_ns
                    .entry(used.service.clone())
                    .or_insert_with(|| ServiceAccess {
                        namespace: used.service.clone(),
                        last_authenticated: None,
                        last_entity: None,
                        last_region: None,
                        total_entities: 0,
                    });
                if s.last_authenticated.is_none_or(|t| t < used.at) {
                    s.last_authenticated = Some(used.at);
                    s.last_entity = Some(u.arn());
                    s.last_region = Some(used.region.clone());
                }
                if seen.insert(used.service.clone()) {
                    s.total_entities += 1;
                }
            }
        }
        let report = AccessReport {
            id: id.clone(),
            account: caller.account.clone(),
            arn: arn.to_owned(),
            granularity,
            created: now,
            services: by_ns.into_values().collect(),
        };
        let mut changes = vec![Change::Put(Record::AccessReport(report))];
        // Keep the newest reports of the account only.
        let mut mine: Vec<&AccessReport> = state
            .access_reports
            .values()
            .filter(|r| r.account == caller.account)
            .collect();
        if mine.len() >= REPORTS_PER_ACCOUNT {
            mine.sort_by_key(|r| r.created);
            let excess = mine.len() + 1 - REPORTS_PER_ACCOUNT;
            changes.extend(
                mine.iter()
                    .take(excess)
                    .map(|r| Change::Delete(table::ACCESS_REPORTS, r.id.clone())),
            );
        }
        Ok((id.clone(), changes))
    })
}

/// `iam:GetServiceLastAccessedDetails`.
pub fn get(svc: &Service, caller: &Caller, job_id: &str) -> Result<AccessReport, CoreError> {
    svc.authorize(caller, "iam:GetServiceLastAccessedDetails", "*", None, &[])?;
    svc.read()
        .access_reports
        .get(job_id)
        .filter(|r| r.account == caller.account)
        .cloned()
        .ok_or_else(|| CoreError::NoSuchEntity(format!("No such job {job_id} found.")))
}

/// The display name of a service namespace (IAM's `ServiceName`).
pub fn service_name(namespace: &str) -> &str {
    match namespace {
        "iam" => "AWS Identity and Access Management",
        "sts" => "AWS Security Token Service",
        "s3" => "Amazon S3",
        "sqs" => "Amazon SQS",
        "organizations" => "AWS Organizations",
        "cloudtrail" => "AWS CloudTrail",
        "ec2" => "Amazon EC2",
        "account" => "AWS Account Management",
        "kms" => "AWS Key Management Service",
        "lambda" => "AWS Lambda",
        "dynamodb" => "Amazon DynamoDB",
        "sns" => "Amazon SNS",
        "logs" => "Amazon CloudWatch Logs",
        "cloudwatch" => "Amazon CloudWatch",
        other => other,
    }
}
