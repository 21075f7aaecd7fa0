//! CreateAccount and its status, DescribeAccount, ListAccounts(ForParent),
//! MoveAccount, RemoveAccountFromOrganization, LeaveOrganization.

use rootward_core::org::accounts as dom;
use rootward_core::org::model::CreateAccountStatus;
use serde_json::{Value, json};

use super::{account_id, account_json, e, page_req, paged};
use crate::error::ApiError;
use crate::protocol::input::Input;
use crate::protocol::json::timestamp;
use crate::services::Ctx;

fn status_json(c: &CreateAccountStatus) -> Value {
    let mut v = json!({
        "Id": c.id,
        "AccountName": c.account_name,
        "State": c.state,
        "RequestedTimestamp": timestamp(c.requested),
    });
    if let Value::Object(m) = &mut v {
        if let Some(t) = c.completed {
            m.insert("CompletedTimestamp".into(), timestamp(t));
        }
        if let Some(a) = &c.account_id {
            m.insert("AccountId".into(), Value::String(a.clone()));
        }
        if let Some(r) = &c.failure_reason {
            m.insert("FailureReason".into(), Value::String(r.clone()));
        }
    }
    v
}

pub(crate) fn create_account(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let input = dom::CreateAccount {
        email: i.required("Email")?,
        account_name: i.required("AccountName")?,
        role_name: i.str("RoleName"),
        iam_user_access_to_billing: i.str("IamUserAccessToBilling"),
    };
    let tags = super::tags_input(i)?;
    let c = rootward_core::org::tags::create_tagged(
        ctx.svc,
        ctx.caller,
        &tags,
        || dom::create_account(ctx.svc, ctx.caller, input),
        |state, c| {
            state
                .org
                .statuses
                .get(&c.id)
                .and_then(|s| s.account_id.clone())
        },
    )
    .map_err(e)?;
    Ok(Some(json!({"CreateAccountStatus": status_json(&c)})))
}

pub(crate) fn describe_create_account_status(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let c = dom::describe_create_account_status(
        ctx.svc,
        ctx.caller,
        i.required("CreateAccountRequestId")?,
    )
    .map_err(e)?;
    Ok(Some(json!({"CreateAccountStatus": status_json(&c)})))
}

pub(crate) fn list_create_account_status(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let states: Vec<String> = i.list("States").into_iter().map(str::to_owned).collect();
    let page = dom::list_create_account_status(ctx.svc, ctx.caller, &states, page_req(ctx, i)?)
        .map_err(e)?;
    Ok(paged("CreateAccountStatuses", page, status_json))
}

pub(crate) fn describe_account(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let a = dom::describe_account(ctx.svc, ctx.caller, &account_id(i)?).map_err(e)?;
    Ok(Some(json!({"Account": account_json(&a)})))
}

pub(crate) fn list_accounts(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    let page = dom::list_accounts(ctx.svc, ctx.caller, page_req(ctx, i)?).map_err(e)?;
    Ok(paged("Accounts", page, account_json))
}

pub(crate) fn list_accounts_for_parent(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    let page = dom::list_accounts_for_parent(
        ctx.svc,
        ctx.caller,
        i.required("ParentId")?,
        page_req(ctx, i)?,
    )
    .map_err(e)?;
    Ok(paged("Accounts", page, account_json))
}

pub(crate) fn move_account(ctx: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    dom::move_account(
        ctx.svc,
        ctx.caller,
        &account_id(i)?,
        i.required("SourceParentId")?,
        i.required("DestinationParentId")?,
    )
    .map_err(e)?;
    Ok(None)
}

pub(crate) fn close_account(r: &Ctx<'_>, i: &Input<'_>) -> Result<Option<Value>, ApiError> {
    dom::close_account(r.svc, r.caller, &account_id(i)?).map_err(e)?;
    Ok(None)
}

pub(crate) fn remove_account_from_organization(
    ctx: &Ctx<'_>,
    i: &Input<'_>,
) -> Result<Option<Value>, ApiError> {
    dom::remove_account(ctx.svc, ctx.caller, &account_id(i)?).map_err(e)?;
    Ok(None)
}

pub(crate) fn leave_organization(ctx: &Ctx<'_>, _: &Input<'_>) -> Result<Option<Value>, ApiError> {
    dom::leave_organization(ctx.svc, ctx.caller).map_err(e)?;
    Ok(None)
}
