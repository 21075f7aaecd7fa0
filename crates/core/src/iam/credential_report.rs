//! The credential report: GenerateCredentialReport, GetCredentialReport
//! (spec 02 §2.6.5). One CSV per account, in AWS's columns: a
//! `<root_account>` row, then one row per IAM user in name order.

use time::OffsetDateTime;

use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{CredentialReport, KeyOwner, KeyStatus, Record, login_profile_key};
use crate::service::Service;
use crate::state::State;

/// A report is reused (and served) for this long, as IAM does.
pub const MAX_AGE_SECS: i64 = 4 * 3600;

/// AWS's header, in order.
pub const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

/// A time as the report writes it: `2024-11-20T12:15:00+00:00`.
fn stamp(t: OffsetDateTime) -> String {
    let z = crate::clock::iso8601(t);
    format!("{}+00:00", z.trim_end_matches('Z'))
}

fn flag(b: bool) -> String {
    if b { "true" } else { "false" }.to_owned()
}

/// The `password_last_used` column. A recorded sign-in is its time. The
/// root row says `no_information` whenever none is recorded, with or without
/// a password: tools read that column of the root row as a time or
/// `no_information` and fail on `N/A`; whether AWS writes `N/A` for a root
/// user without a password is not documented (issue 14), so the root row
/// never does. An IAM user without a password is `N/A`, as AWS writes it.
fn password_last_used(
    owner: &KeyOwner,
    has_password: bool,
    last_used: Option<OffsetDateTime>,
) -> String {
    match (owner, has_password, last_used) {
        (KeyOwner::User(_), false, _) => "N/A".to_owned(),
        (_, _, Some(t)) => stamp(t),
        (_, _, None) => "no_information".to_owned(),
    }
}

fn row(
    state: &State,
    account: &str,
    owner: &KeyOwner,
    user: &str,
    arn: &str,
    created: OffsetDateTime,
    last_used: Option<OffsetDateTime>,
) -> String {
    let mut cols: Vec<String> = vec![user.to_owned(), arn.to_owned(), stamp(created)];
    let profile = state.login_profiles.get(&login_profile_key(account, owner));
    // A root profile without a password (recovery allowed) counts, as IAM reports it.
    let has_password = profile.is_some();
    cols.push(flag(has_password));
    cols.push(password_last_used(owner, has_password, last_used));
    cols.push(match profile {
        Some(p) if has_password => stamp(p.created),
        _ => "N/A".to_owned(),
    });
    cols.push(match owner {
        KeyOwner::Root => "not_supported".to_owned(),
        KeyOwner::User(_) => "N/A".to_owned(),
    });
    cols.push(flag(!state.mfa_devices_for(account, owner).is_empty()));
    let mut keys: Vec<_> = state
        .access_keys
        .values()
        .filter(|k| k.account == account && &k.owner == owner)
        .collect();
    keys.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
    for i in 0..2 {
        match keys.get(i) {
            Some(k) => {
                cols.push(flag(k.status == KeyStatus::Active));
                cols.push(stamp(k.created));
                match &k.last_used {
                    Some(l) => {
                        cols.push(stamp(l.at));
                        cols.push(l.region.clone());
                        cols.push(l.service.clone());
                    }
                    None => cols.extend(["N/A", "N/A", "N/A"].map(str::to_owned)),
                }
            }
            None => cols.extend(["false", "N/A", "N/A", "N/A", "N/A"].map(str::to_owned)),
        }
    }
    let certs = state.certificates_for(account, owner);
    for i in 0..2 {
        match certs.get(i) {
            Some(c) => {
                cols.push(flag(c.status == KeyStatus::Active));
                cols.push(stamp(c.uploaded));
            }
            None => cols.extend(["false", "N/A"].map(str::to_owned)),
        }
    }
    cols.join(",")
}

/// The report's CSV for an account, as of now.
pub fn render(state: &State, account: &str) -> String {
    let mut lines = vec![HEADER.to_owned()];
    let (created, root_last_used) = state
        .accounts
        .get(account)
        .map(|a| (a.created, a.root_password_last_used))
        .unwrap_or((OffsetDateTime::UNIX_EPOCH, None));
    lines.push(row(
        state,
        account,
        &KeyOwner::Root,
        "<root_account>",
        &crate::ident::Arn::root(account).to_string(),
        created,
        root_last_used,
    ));
    for u in state.users_of(account) {
        lines.push(row(
            state,
            account,
            &KeyOwner::User(u.name.clone()),
            &u.name,
            &u.arn(),
            u.created,
            u.password_last_used,
        ));
    }
    lines.join("\n")
}

/// `iam:GenerateCredentialReport`: `(State, Description)`. A report younger
/// than four hours is kept (`COMPLETE`); otherwise a new one is made at once
/// and the answer is `STARTED`, as IAM answers a new generation.
pub fn generate_credential_report(
    svc: &Service,
    caller: &Caller,
) -> Result<(&'static str, &'static str), CoreError> {
    svc.authorize(caller, "iam:GenerateCredentialReport", "*", None, &[])?;
    let now = svc.now();
    svc.mutate(|state| {
        let fresh = state
            .credential_reports
            .get(&caller.account)
            .is_some_and(|r| (now - r.generated).whole_seconds() < MAX_AGE_SECS);
        if fresh {
            return Ok((("COMPLETE", ""), Vec::new()));
        }
        let report = CredentialReport {
            account: caller.account.clone(),
            generated: now,
            content: render(state, &caller.account),
        };
        Ok((
            (
                "STARTED",
                "No report exists. Starting a new report generation task",
            ),
            vec![crate::model::Change::Put(Record::CredentialReport(report))],
        ))
    })
}

/// `iam:GetCredentialReport`: the last report.
pub fn get_credential_report(
    svc: &Service,
    caller: &Caller,
) -> Result<CredentialReport, CoreError> {
    svc.authorize(caller, "iam:GetCredentialReport", "*", None, &[])?;
    let r = svc
        .read()
        .credential_reports
        .get(&caller.account)
        .cloned()
        .ok_or_else(|| {
            CoreError::ReportNotPresent(
                "Credential report not present. Use GenerateCredentialReport to generate a report."
                    .into(),
            )
        })?;
    if (svc.now() - r.generated).whole_seconds() >= MAX_AGE_SECS {
        return Err(CoreError::ReportExpired(
            "Credential report has expired. Use GenerateCredentialReport to generate a new report."
                .into(),
        ));
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_last_used_is_a_time_or_no_information_for_root_and_na_for_users_without_password() {
        let root = KeyOwner::Root;
        let user = KeyOwner::User("alice".into());
        let t = OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
        assert_eq!(password_last_used(&root, false, None), "no_information");
        assert_eq!(password_last_used(&root, true, None), "no_information");
        assert_eq!(
            password_last_used(&root, false, Some(t)),
            "2024-10-04T00:00:00+00:00"
        );
        assert_eq!(password_last_used(&user, false, Some(t)), "N/A");
        assert_eq!(password_last_used(&user, true, None), "no_information");
        assert_eq!(
            password_last_used(&user, true, Some(t)),
            "2024-10-04T00:00:00+00:00"
        );
    }
}
