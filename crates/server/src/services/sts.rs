//! STS (query protocol): GetCallerIdentity, GetSessionToken, AssumeRole,
//! AssumeRoot.

use rootward_core::clock::iso8601;
use rootward_core::model::Session;
use rootward_core::sts;
use rootward_model::ValidationErrors;
use rootward_model::sts::{Operation, SERVICE};

use crate::error::{ApiError, from_core};
use crate::protocol::input::Input;
use crate::protocol::xml::Xml;
use crate::services::{Ctx, Output};

/// How STS answers input that breaks the model's constraints (spec 08 §8.1).
pub fn invalid(e: &ValidationErrors) -> ApiError {
    ApiError::new("ValidationError", 400, e.to_string())
}

type Handler = fn(&Ctx<'_>, &Input<'_>) -> Result<Output<Option<Xml>>, ApiError>;

/// The handler of each STS operation this endpoint serves (`None`: not
/// served; the operation tables mark exactly these as implemented).
pub(super) fn handler(op: Operation) -> Option<Handler> {
    use Operation::*;
    Some(match op {
        AssumeRole => assume_role,
        AssumeRoot => assume_root,
        GetCallerIdentity => get_caller_identity,
        GetSessionToken => get_session_token,
        _ => return None,
    })
}

/// Runs an STS operation; a body of `None` means no result element.
pub fn call(
    op: Operation,
    ctx: &Ctx<'_>,
    input: &Input<'_>,
) -> Result<Output<Option<Xml>>, ApiError> {
    match handler(op) {
        Some(h) => h(ctx, input),
        None => Err(crate::protocol::query::unknown_operation(
            op.name(),
            &SERVICE,
        )),
    }
}

fn get_caller_identity(ctx: &Ctx<'_>, _: &Input<'_>) -> Result<Output<Option<Xml>>, ApiError> {
    let (user_id, account, arn) = sts::get_caller_identity(ctx.svc, ctx.caller);
    let mut x = Xml::new();
    x.elem("UserId", &user_id)
        .elem("Account", &account)
        .elem("Arn", &arn);
    Ok(Some(x).into())
}

fn credentials_xml(x: &mut Xml, s: &Session) {
    x.open("Credentials")
        .elem("AccessKeyId", &s.access_key_id)
        .elem("SecretAccessKey", s.secret.expose())
        .elem("SessionToken", s.token.expose())
        .elem("Expiration", &iso8601(s.expires))
        .close("Credentials");
}

fn get_session_token(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Output<Option<Xml>>, ApiError> {
    let s = sts::get_session_token(
        ctx.svc,
        ctx.caller,
        p.int("DurationSeconds")?,
        p.str("SerialNumber"),
        p.str("TokenCode"),
    )
    .map_err(from_core)?;
    let mut x = Xml::new();
    credentials_xml(&mut x, &s);
    Ok(issued(Some(x), &s))
}

fn assume_role(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Output<Option<Xml>>, ApiError> {
    let policy_arns: Vec<&str> = p
        .structs("PolicyArns")
        .iter()
        .filter_map(|a| a.str("arn"))
        .collect();
    let tags: Vec<(&str, &str)> = p
        .structs("Tags")
        .iter()
        .filter_map(|t| Some((t.str("Key")?, t.str("Value").unwrap_or(""))))
        .collect();
    let out = sts::assume_role(
        ctx.svc,
        ctx.caller,
        sts::AssumeRole {
            role_arn: p.required("RoleArn")?,
            session_name: p.required("RoleSessionName")?,
            duration: p.int("DurationSeconds")?,
            policy: p.str("Policy"),
            source_identity: p.str("SourceIdentity"),
            policy_arns,
            tags,
            serial_number: p.str("SerialNumber"),
            token_code: p.str("TokenCode"),
        },
    )
    .map_err(from_core)?;
    let s = &out.session;
    let mut x = Xml::new();
    credentials_xml(&mut x, s);
    x.open("AssumedRoleUser")
        .elem("AssumedRoleId", &out.assumed_role_id)
        .elem("Arn", &out.arn)
        .close("AssumedRoleUser")
        .opt("SourceIdentity", s.source_identity.as_deref());
    if let Some(doc) = s.session_policies.first() {
        // Packed size as a percentage of the 2,048-character allowance (approximation).
        x.elem("PackedPolicySize", &((doc.len() * 100) / 2048).to_string());
    }
    Ok(issued(Some(x), s))
}

fn assume_root(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Output<Option<Xml>>, ApiError> {
    let s = sts::assume_root(
        ctx.svc,
        ctx.caller,
        sts::AssumeRoot {
            target_principal: p.required("TargetPrincipal")?,
            task_policy_arn: p
                .object("TaskPolicyArn")
                .and_then(|t| t.str("arn"))
                .ok_or_else(|| p.missing("TaskPolicyArn"))?,
            duration: p.int("DurationSeconds")?,
            global_endpoint: ctx.global_endpoint,
        },
    )
    .map_err(from_core)?;
    let mut x = Xml::new();
    credentials_xml(&mut x, &s);
    x.opt("SourceIdentity", s.source_identity.as_deref());
    Ok(issued(Some(x), &s))
}

/// The answer of a call that issued credentials, with the trail's
/// `responseElements`: the key id and expiry (`MMM d, yyyy, h:mm:ss a`,
/// spec 04 §4.3.2). The secret is never recorded, and neither is the session
/// token (AWS records it; Rootward keeps tokens out of every log).
fn issued(body: Option<Xml>, s: &Session) -> Output<Option<Xml>> {
    let fmt = time::macros::format_description!(
        "[month repr:short] [day padding:none], [year], [hour repr:12 padding:none]:[minute]:[second] [period]"
    );
    let expiration = s.expires.format(&fmt).unwrap_or_default();
    Output {
        body,
        response_elements: Some(serde_json::json!({
            "credentials": {"accessKeyId": s.access_key_id, "expiration": expiration}
        })),
    }
}
