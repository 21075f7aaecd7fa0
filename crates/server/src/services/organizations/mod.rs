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

use rootward_model::organizations::Operation;
use rootward_model::{Constraint, ValidationErrors, Violation};

use crate::error::{ApiError, from_core_org};
use crate::protocol::input::Input;
use crate::protocol::json::timestamp;
use crate::services::{Ctx, Output};

type Handler = fn(&Ctx<'_>, &Input<'_>) -> Result<Option<Value>, ApiError>;

/// The handler of each Organizations operation this endpoint serves
/// (`None`: not served; the operation tables mark exactly these as
/// implemented).
pub(super) fn handler(op: Operation) -> Option<Handler> {
    use Operation::*;
    Some(match op {
        AcceptHandshake => handshakes::accept_handshake,
        AttachPolicy => policies::attach_policy,
        CancelHandshake => handshakes::cancel_handshake,
        CloseAccount => accounts::close_account,
        CreateAccount => accounts::create_account,
        CreateOrganization => organization::create_organization,
        CreateOrganizationalUnit => units::create_organizational_unit,
        CreatePolicy => policies::create_policy,
        DeclineHandshake => handshakes::decline_handshake,
        DeleteOrganization => organization::delete_organization,
        DeleteOrganizationalUnit => units::delete_organizational_unit,
        DeletePolicy => policies::delete_policy,
        DeregisterDelegatedAdministrator => services::deregister_delegated_administrator,
        DescribeAccount => accounts::describe_account,
        DescribeCreateAccountStatus => accounts::describe_create_account_status,
        DescribeHandshake => handshakes::describe_handshake,
        DescribeOrganization => organization::describe_organization,
        DescribeOrganizationalUnit => units::describe_organizational_unit,
        DescribePolicy => policies::describe_policy,
        DetachPolicy => policies::detach_policy,
        DisableAWSServiceAccess => services::disable_aws_service_access,
        DisablePolicyType => organization::disable_policy_type,
        EnableAWSServiceAccess => services::enable_aws_service_access,
        EnableAllFeatures => organization::enable_all_features,
        EnablePolicyType => organization::enable_policy_type,
        InviteAccountToOrganization => handshakes::invite_account_to_organization,
        LeaveOrganization => accounts::leave_organization,
        ListAWSServiceAccessForOrganization => services::list_aws_service_access_for_organization,
        ListAccounts => accounts::list_accounts,
        ListAccountsForParent => accounts::list_accounts_for_parent,
        ListChildren => units::list_children,
        ListCreateAccountStatus => accounts::list_create_account_status,
        ListDelegatedAdministrators => services::list_delegated_administrators,
        ListDelegatedServicesForAccount => services::list_delegated_services_for_account,
        ListHandshakesForAccount => handshakes::list_handshakes_for_account,
        ListHandshakesForOrganization => handshakes::list_handshakes_for_organization,
        ListOrganizationalUnitsForParent => units::list_organizational_units_for_parent,
        ListParents => units::list_parents,
        ListPolicies => policies::list_policies,
        ListPoliciesForTarget => policies::list_policies_for_target,
        ListRoots => organization::list_roots,
        ListTagsForResource => tags::list_tags_for_resource,
        ListTargetsForPolicy => policies::list_targets_for_policy,
        MoveAccount => accounts::move_account,
        RegisterDelegatedAdministrator => services::register_delegated_administrator,
        RemoveAccountFromOrganization => accounts::remove_account_from_organization,
        TagResource => tags::tag_resource,
        UntagResource => tags::untag_resource,
        UpdateOrganizationalUnit => units::update_organizational_unit,
        UpdatePolicy => policies::update_policy,
        _ => return None,
    })
}

/// How Organizations answers input that breaks the model's constraints:
/// `InvalidInputException` with the `Reason` of the first violation (spec 03
/// §3.5). The message follows the domain's own ("You specified an invalid
/// value for …") [UNCONFIRMED: AWS's wording for model violations].
pub fn invalid(e: &ValidationErrors) -> ApiError {
    let (reason, message) = match e.0.first() {
        Some(v) => {
            let reason = match v.kind() {
                Constraint::Required => "INPUT_REQUIRED",
                Constraint::MinLength => "MIN_LENGTH_EXCEEDED",
                Constraint::MaxLength => "MAX_LENGTH_EXCEEDED",
                Constraint::MinValue => "MIN_VALUE_EXCEEDED",
                Constraint::MaxValue => "MAX_VALUE_EXCEEDED",
                Constraint::Enum => "INVALID_ENUM",
                Constraint::Pattern | Constraint::Type | Constraint::Entries => "INVALID_PATTERN",
            };
            let message = if v.null {
                format!("You must specify a value for {}.", v.path)
            } else {
                format!("You specified an invalid value for {}.", v.path)
            };
            (reason, message)
        }
        None => ("INVALID_INPUT", "The input is not valid.".to_owned()),
    };
    ApiError::new("InvalidInputException", 400, message).with("Reason", reason)
}

/// A member the call cannot do without is absent.
pub(crate) fn missing(name: &str) -> ApiError {
    invalid(&ValidationErrors(vec![Violation::missing(
        rootward_model::shape::lower_first(name),
    )]))
}

/// Runs an Organizations operation; a body of `None` answers an empty body.
pub fn call(
    op: Operation,
    ctx: &Ctx<'_>,
    input: &Input<'_>,
) -> Result<Output<Option<Value>>, ApiError> {
    match handler(op) {
        Some(h) => h(ctx, input).map(Output::from),
        None => Err(crate::protocol::json::unknown_operation()),
    }
}

/// Domain errors in Organizations' words.
pub(crate) fn e(err: CoreError) -> ApiError {
    from_core_org(err)
}

/// The request's `AccountId`, decoded (`InvalidInputException`
/// `INVALID_PATTERN` when it is not 12 digits).
pub(crate) fn account_id(i: &Input<'_>) -> Result<rootward_core::ident::AccountId, ApiError> {
    rootward_core::org::account_id(i.required("AccountId")?).map_err(e)
}

/// The `Tags` member of a request (`[{Key, Value}]`; both required).
pub(crate) fn tags_input(i: &Input<'_>) -> Result<Vec<rootward_core::model::Tag>, ApiError> {
    i.structs("Tags")
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
pub(crate) fn page_req<'a>(ctx: &Ctx<'_>, i: &Input<'a>) -> Result<PageRequest<'a>, ApiError> {
    // The listing a token belongs to: the operation (its `X-Amz-Target`: a
    // token of ListAccounts is not one of ListRoots), the caller's account,
    // and the operation's other inputs (a token of ListChildren for units is
    // not one for accounts).
    let mut others: Vec<_> = i
        .members()
        .iter()
        .filter(|(k, _)| !matches!(*k, "NextToken" | "MaxResults"))
        .collect();
    others.sort_by_key(|(k, _)| *k);
    let operation = ctx
        .parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    Ok(PageRequest {
        next_token: i.str("NextToken"),
        max_results: i.int("MaxResults")?,
        scope: rootward_policy::policy::fnv1a(
            format!("{operation}/{}/{others:?}", ctx.caller.account).bytes(),
        ),
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
        "Status": a.status,
        "State": a.state,
        "JoinedMethod": a.joined_method,
        "JoinedTimestamp": timestamp(a.joined),
    })
}
