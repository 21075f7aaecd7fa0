//! Organizations (JSON 1.1, spec 03): the operation table and the shapes of
//! the answers. The domain is `rootward_core::org`.

mod accounts;
mod handshakes;
mod organization;
mod policies;
mod services;
mod tags;
mod units;

use rootward_core::CoreError;
use rootward_core::org::accounts::AccountInfo;
use rootward_core::org::{Page, PageRequest};
use serde_json::{Value, json};

use crate::error::{ApiError, from_core_org};
use crate::protocol::json::{Input, timestamp};
use crate::services::Ctx;

/// The `X-Amz-Target` prefix.
pub const TARGET_PREFIX: &str = "AWSOrganizationsV20161128";

type Handler = fn(&Ctx<'_>, &Input) -> Result<Option<Value>, ApiError>;

/// Every Organizations operation this endpoint serves.
const OPERATIONS: &[(&str, Handler)] = &[
    ("AcceptHandshake", handshakes::accept_handshake),
    ("AttachPolicy", policies::attach_policy),
    ("CancelHandshake", handshakes::cancel_handshake),
    ("CreateAccount", accounts::create_account),
    ("CreateOrganization", organization::create_organization),
    (
        "CreateOrganizationalUnit",
        units::create_organizational_unit,
    ),
    ("CreatePolicy", policies::create_policy),
    ("DeclineHandshake", handshakes::decline_handshake),
    ("DeleteOrganization", organization::delete_organization),
    (
        "DeleteOrganizationalUnit",
        units::delete_organizational_unit,
    ),
    ("DeletePolicy", policies::delete_policy),
    (
        "DeregisterDelegatedAdministrator",
        services::deregister_delegated_administrator,
    ),
    ("DescribeAccount", accounts::describe_account),
    (
        "DescribeCreateAccountStatus",
        accounts::describe_create_account_status,
    ),
    ("DescribeHandshake", handshakes::describe_handshake),
    ("DescribeOrganization", organization::describe_organization),
    (
        "DescribeOrganizationalUnit",
        units::describe_organizational_unit,
    ),
    ("DescribePolicy", policies::describe_policy),
    ("DetachPolicy", policies::detach_policy),
    (
        "DisableAWSServiceAccess",
        services::disable_aws_service_access,
    ),
    ("DisablePolicyType", organization::disable_policy_type),
    (
        "EnableAWSServiceAccess",
        services::enable_aws_service_access,
    ),
    ("EnableAllFeatures", organization::enable_all_features),
    ("EnablePolicyType", organization::enable_policy_type),
    (
        "InviteAccountToOrganization",
        handshakes::invite_account_to_organization,
    ),
    ("LeaveOrganization", accounts::leave_organization),
    (
        "ListAWSServiceAccessForOrganization",
        services::list_aws_service_access_for_organization,
    ),
    ("ListAccounts", accounts::list_accounts),
    ("ListAccountsForParent", accounts::list_accounts_for_parent),
    ("ListChildren", units::list_children),
    (
        "ListCreateAccountStatus",
        accounts::list_create_account_status,
    ),
    (
        "ListDelegatedAdministrators",
        services::list_delegated_administrators,
    ),
    (
        "ListDelegatedServicesForAccount",
        services::list_delegated_services_for_account,
    ),
    (
        "ListHandshakesForAccount",
        handshakes::list_handshakes_for_account,
    ),
    (
        "ListHandshakesForOrganization",
        handshakes::list_handshakes_for_organization,
    ),
    (
        "ListOrganizationalUnitsForParent",
        units::list_organizational_units_for_parent,
    ),
    ("ListParents", units::list_parents),
    ("ListPolicies", policies::list_policies),
    ("ListPoliciesForTarget", policies::list_policies_for_target),
    ("ListRoots", organization::list_roots),
    ("ListTagsForResource", tags::list_tags_for_resource),
    ("ListTargetsForPolicy", policies::list_targets_for_policy),
    ("MoveAccount", accounts::move_account),
    (
        "RegisterDelegatedAdministrator",
        services::register_delegated_administrator,
    ),
    (
        "RemoveAccountFromOrganization",
        accounts::remove_account_from_organization,
    ),
    ("TagResource", tags::tag_resource),
    ("UntagResource", tags::untag_resource),
    (
        "UpdateOrganizationalUnit",
        units::update_organizational_unit,
    ),
    ("UpdatePolicy", policies::update_policy),
];

/// A required member is absent (`InvalidInputException` `INPUT_REQUIRED`).
pub fn missing(name: &str) -> ApiError {
    let mut e = ApiError::new(
        "InvalidInputException",
        400,
        format!("You must specify a value for {name}."),
    );
    e.reason = Some("INPUT_REQUIRED".to_owned());
    e
}

/// Runs an Organizations operation; `Ok(None)` answers an empty body.
pub fn call(op: &str, ctx: &Ctx<'_>, body: &[u8]) -> Result<Option<Value>, ApiError> {
    let Some((_, h)) = OPERATIONS.iter().find(|(name, _)| *name == op) else {
        return Err(crate::protocol::json::unknown_operation());
    };
    let input = Input::parse(body, missing)?;
    h(ctx, &input)
}

/// Domain errors in Organizations' words.
pub(crate) fn e(err: CoreError) -> ApiError {
    from_core_org(err)
}

/// The `Tags` member of a request (`[{Key, Value}]`; both required).
pub(crate) fn tags_input(i: &Input) -> Result<Vec<rootward_core::model::Tag>, ApiError> {
    i.objects("Tags")?
        .iter()
        .map(|t| {
            Ok(rootward_core::model::Tag {
                key: t.required("Key")?.to_owned(),
                value: t.required("Value")?.to_owned(),
            })
        })
        .collect()
}

/// The paging members of a request.
pub(crate) fn page_req(i: &Input) -> Result<PageRequest<'_>, ApiError> {
    Ok(PageRequest {
        next_token: i.str("NextToken")?,
        max_results: i.int("MaxResults")?,
    })
}

/// A page as `{KEY: [...], NextToken}`.
pub(crate) fn paged<T>(key: &str, page: Page<T>, f: impl Fn(&T) -> Value) -> Option<Value> {
    let mut out = serde_json::Map::new();
    out.insert(
        key.to_owned(),
        Value::Array(page.items.iter().map(f).collect()),
    );
    if let Some(t) = page.next_token {
        out.insert("NextToken".to_owned(), Value::String(t));
    }
    Some(Value::Object(out))
}

/// An account.
pub(crate) fn account_json(a: &AccountInfo) -> Value {
    json!({
        "Id": a.id,
        "Arn": a.arn,
        "Email": a.email,
        "Name": a.name,
        "Status": "ACTIVE",
        "State": "ACTIVE",
        "JoinedMethod": a.joined_method,
        "JoinedTimestamp": timestamp(a.joined),
    })
}
