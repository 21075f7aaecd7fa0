//! STS (query protocol): GetCallerIdentity, GetSessionToken, AssumeRole,
//! AssumeRoot.

use rootward_core::clock::iso8601;
use rootward_core::model::Session;
use rootward_core::sts;
use rootward_model::ValidationErrors;
use rootward_model::sts::{Operation, SERVICE};
use serde_json::{Value, json};

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
        GetAccessKeyInfo => get_access_key_info,
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

fn get_access_key_info(ctx: &Ctx<'_>, p: &Input<'_>) -> Result<Output<Option<Xml>>, ApiError> {
    let account = sts::get_access_key_info(ctx.svc, ctx.caller, p.required("AccessKeyId")?)
        .map_err(from_core)?;
    let mut x = Xml::new();
    x.elem("Account", &account);
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
    let packed = packed_policy_size(s);
    let mut x = Xml::new();
    credentials_xml(&mut x, s);
    x.open("AssumedRoleUser")
        .elem("AssumedRoleId", &out.assumed_role_id)
        .elem("Arn", &out.arn)
        .close("AssumedRoleUser")
        .opt("SourceIdentity", s.source_identity.as_deref());
    if let Some(n) = packed {
        x.elem("PackedPolicySize", &n.to_string());
    }
    // The record says what the answer says, but the secret and the token:
    // the role session (`assumedRoleUser.arn` links the session's own
    // events, whose `userIdentity.arn` it is, to this call), its source
    // identity and the packed size, as CloudTrail's AssumeRole events do.
    let mut output = issued(Some(x), s);
    // The role's account, when it is not the caller's, gets its own copy of
    // the record (CloudTrail's cross-account delivery): it sees who assumed
    // its role.
    output.shared_with = Some(s.account.clone());
    if let Some(Value::Object(elements)) = output.response_elements.as_mut() {
        elements.insert(
            "assumedRoleUser".to_owned(),
            json!({"assumedRoleId": out.assumed_role_id, "arn": out.arn}),
        );
        if let Some(n) = packed {
            elements.insert("packedPolicySize".to_owned(), json!(n));
        }
    }
    Ok(output)
}

/// `PackedPolicySize`: how much of the packed allowance the session
/// policies (inline and by ARN) and session tags passed in the request take,
/// in percent; `None` when the request passed none of them, as STS answers
/// then. STS packs and compresses them in a format it does not publish: this
/// is their size in characters against the 2,048 characters an inline
/// session policy may have (an approximation; nothing is refused on it, the
/// inline policy's own size being checked on its own).
fn packed_policy_size(s: &Session) -> Option<usize> {
    let chars = s.session_policies.iter().map(String::len).sum::<usize>()
        + s.session_policy_arns.iter().map(String::len).sum::<usize>()
        + s.tags.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>();
    let passed =
        !(s.session_policies.is_empty() && s.session_policy_arns.is_empty() && s.tags.is_empty());
    passed.then(|| (chars * 100).div_ceil(2048))
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
    // Spec 04 §4.3.2: the AssumeRoot event's `responseElements` are its
    // `credentials` (AWS's example shows no other member); a source
    // identity carried from the caller's session is answered, so recorded
    // as AssumeRole records it (inferred).
    Ok(issued(Some(x), &s))
}

/// The answer of a call that issued credentials (GetSessionToken,
/// AssumeRole, AssumeRoot), with the trail's `responseElements`:
/// `credentials` with the key id and expiry (`MMM d, yyyy, h:mm:ss a`,
/// spec 04 §4.3.2), and the session's `sourceIdentity` when it has one.
///
/// CloudTrail's events also carry `credentials.sessionToken`; Rootward's
/// never do, nor the secret key. The token is part of the credentials a
/// client presents, and here it is the session itself: its sealed claims,
/// from which the server derives the session's secret again
/// (docs/security.md, "Session tokens"). The trail is read by everyone
/// allowed `cloudtrail:LookupEvents`, kept 90 days, written to a JSON-lines
/// file and delivered to trail buckets, and no secret goes into a log or
/// the trail in clear. The key id is enough to find the session's calls.
fn issued(body: Option<Xml>, s: &Session) -> Output<Option<Xml>> {
    let fmt = time::macros::format_description!(
        "[month repr:short] [day padding:none], [year], [hour repr:12 padding:none]:[minute]:[second] [period]"
    );
    let expiration = s.expires.format(&fmt).unwrap_or_default();
    let mut elements = json!({
        "credentials": {"accessKeyId": s.access_key_id, "expiration": expiration}
    });
    if let (Some(si), Value::Object(m)) = (s.source_identity.as_deref(), &mut elements) {
        m.insert("sourceIdentity".to_owned(), json!(si));
    }
    Output {
        body,
        response_elements: Some(elements),
        shared_with: None,
    }
}
