//! STS (query protocol): GetCallerIdentity, GetSessionToken, AssumeRole,
//! AssumeRoot.

use rootward_core::clock::iso8601;
use rootward_core::sts;

use crate::error::{ApiError, from_core};
use crate::protocol::query::Params;
use crate::protocol::xml::Xml;
use crate::services::Ctx;

/// Runs an STS operation; `Ok(None)` means no result element.
pub fn call(op: &str, ctx: &Ctx<'_>, p: &Params) -> Result<Option<Xml>, ApiError> {
    match op {
        "GetCallerIdentity" => {
            let (user_id, account, arn) = sts::get_caller_identity(ctx.svc, ctx.caller);
            let mut x = Xml::new();
            x.elem("UserId", &user_id)
                .elem("Account", &account)
                .elem("Arn", &arn);
            Ok(Some(x))
        }
        "GetSessionToken" => {
            let s = sts::get_session_token(ctx.svc, ctx.caller, p.int("DurationSeconds")?)
                .map_err(from_core)?;
            trail_credentials(ctx, &s);
            let mut x = Xml::new();
            x.open("Credentials")
                .elem("AccessKeyId", &s.access_key_id)
                .elem("SecretAccessKey", s.secret.expose())
                .elem("SessionToken", s.token.expose())
                .elem("Expiration", &iso8601(s.expires))
                .close("Credentials");
            Ok(Some(x))
        }
        "AssumeRole" => {
            let out = sts::assume_role(
                ctx.svc,
                ctx.caller,
                sts::AssumeRole {
                    role_arn: p.required("RoleArn")?,
                    session_name: p.required("RoleSessionName")?,
                    duration: p.int("DurationSeconds")?,
                    policy: p.get("Policy"),
                    source_identity: p.get("SourceIdentity"),
                    policy_arns: (1..)
                        .map_while(|i| p.get(&format!("PolicyArns.member.{i}.arn")))
                        .collect(),
                    tags: (1..)
                        .map_while(|i| {
                            Some((
                                p.get(&format!("Tags.member.{i}.Key"))?,
                                p.get(&format!("Tags.member.{i}.Value")).unwrap_or(""),
                            ))
                        })
                        .collect(),
                },
            )
            .map_err(from_core)?;
            let s = &out.session;
            trail_credentials(ctx, s);
            let mut x = Xml::new();
            x.open("Credentials")
                .elem("AccessKeyId", &s.access_key_id)
                .elem("SecretAccessKey", s.secret.expose())
                .elem("SessionToken", s.token.expose())
                .elem("Expiration", &iso8601(s.expires))
                .close("Credentials")
                .open("AssumedRoleUser")
                .elem("AssumedRoleId", &out.assumed_role_id)
                .elem("Arn", &out.arn)
                .close("AssumedRoleUser")
                .opt("SourceIdentity", s.source_identity.as_deref());
            if let Some(doc) = s.session_policies.first() {
                // Packed size as a percentage of the 2,048-character allowance (approximation).
                x.elem("PackedPolicySize", &((doc.len() * 100) / 2048).to_string());
            }
            Ok(Some(x))
        }
        "AssumeRoot" => {
            let s = sts::assume_root(
                ctx.svc,
                ctx.caller,
                sts::AssumeRoot {
                    target_principal: p.get("TargetPrincipal"),
                    task_policy_arn: p.get("TaskPolicyArn.arn"),
                    duration: p.int("DurationSeconds")?,
                    global_endpoint: ctx.global_endpoint,
                },
            )
            .map_err(from_core)?;
            trail_credentials(ctx, &s);
            let mut x = Xml::new();
            x.open("Credentials")
                .elem("AccessKeyId", &s.access_key_id)
                .elem("SecretAccessKey", s.secret.expose())
                .elem("SessionToken", s.token.expose())
                .elem("Expiration", &iso8601(s.expires))
                .close("Credentials")
                .opt("SourceIdentity", s.source_identity.as_deref());
            Ok(Some(x))
        }
        _ => Err(unknown(op, "2011-06-15")),
    }
}

/// The trail's `responseElements` of a call that issued credentials: the key
/// id and expiry (`MMM d, yyyy, h:mm:ss a`, spec 04 §4.3.2). The secret is never
/// recorded, and neither is the session token (AWS records it; Rootward keeps
/// tokens out of every log).
fn trail_credentials(ctx: &Ctx<'_>, s: &rootward_core::model::Session) {
    let fmt = time::macros::format_description!(
        "[month repr:short] [day padding:none], [year], [hour repr:12 padding:none]:[minute]:[second] [period]"
    );
    let expiration = s.expires.format(&fmt).unwrap_or_default();
    *ctx.trail_response.borrow_mut() = Some(serde_json::json!({
        "credentials": {"accessKeyId": s.access_key_id, "expiration": expiration}
    }));
}

/// `InvalidAction` for an operation the service does not have.
pub fn unknown(op: &str, version: &str) -> ApiError {
    ApiError::new(
        "InvalidAction",
        400,
        format!("Could not find operation {op} for version {version}"),
    )
}
