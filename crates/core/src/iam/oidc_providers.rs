//! OpenID Connect identity providers: CreateOpenIDConnectProvider,
//! GetOpenIDConnectProvider, ListOpenIDConnectProviders,
//! DeleteOpenIDConnectProvider, Add/RemoveClientIDToOpenIDConnectProvider,
//! UpdateOpenIDConnectProviderThumbprint (tags: [`super::tags`]).
//!
//! A provider is named by its URL without `https://`:
//! `arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH`. Nothing here fetches the
//! provider's keys (`AssumeRoleWithWebIdentity` is not served), so
//! thumbprints are stored and answered, never used.

use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{Change, OidcProvider, Record, Tag, table};
use crate::service::Service;

/// Most OIDC providers per account (IAM's quota).
pub const MAX_PROVIDERS: usize = 100;
/// Most client ids per provider (IAM's quota).
pub const MAX_CLIENT_IDS: usize = 100;
/// Most thumbprints per provider (IAM's quota).
pub const MAX_THUMBPRINTS: usize = 5;

/// `NoSuchEntity` for a provider ARN, in AWS's words.
pub fn no_such_provider(arn: &str) -> CoreError {
    CoreError::NoSuchEntity(format!("OpenIDConnect Provider not found for arn {arn}"))
}

/// `HOST/PATH` of a provider URL: it must begin with `https://` and carry
/// no query or fragment (the documented rules); a final `/` is dropped
/// [UNCONFIRMED]. Nor a user name or password (`https://u:p@host`): OIDC
/// Core's issuer identifier has a scheme, host, port and path only, and
/// the credentials would become part of the provider's ARN and of every
/// record naming it. Refused in words that do not repeat them (the
/// message is kept out of the trail's `errorMessage` that way)
/// [UNCONFIRMED: IAM's answer; InvalidInput as for its other URL rules].
/// The messages are UNCONFIRMED.
fn url_name(url: &str) -> Result<String, CoreError> {
    let authority = url.split_once("://").map_or("", |(_, rest)| {
        rest.split(['/', '?', '#']).next().unwrap_or("")
    });
    if authority.contains('@') {
        return Err(CoreError::InvalidInput(
            "Invalid URL: a provider URL must not contain a user name or password.".into(),
        ));
    }
    let rest = url.strip_prefix("https://").ok_or_else(|| {
        CoreError::InvalidInput(format!("Invalid URL {url}: must begin with https://"))
    })?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty()
        || rest.contains(['?', '#'])
        || rest.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(CoreError::InvalidInput(format!("Invalid URL {url}")));
    }
    Ok(rest.to_owned())
}

/// Thumbprints are 40 hexadecimal digits (the model checks the length), at
/// most [`MAX_THUMBPRINTS`] [UNCONFIRMED messages].
fn check_thumbprints(thumbprints: &[&str]) -> Result<(), CoreError> {
    if thumbprints.len() > MAX_THUMBPRINTS {
        return Err(CoreError::InvalidInput(format!(
            "Thumbprint list must contain at most {MAX_THUMBPRINTS} entries."
        )));
    }
    if let Some(t) = thumbprints
        .iter()
        .find(|t| !t.chars().all(|c| c.is_ascii_hexdigit()))
    {
        return Err(CoreError::InvalidInput(format!(
            "Thumbprint {t} is not a hexadecimal SHA-1 fingerprint."
        )));
    }
    Ok(())
}

/// `arn:aws:iam::ACCOUNT:oidc-provider/…`, else `InvalidInput`
/// [UNCONFIRMED message].
fn check_arn(arn: &str) -> Result<(), CoreError> {
    let ok = arn
        .strip_prefix("arn:aws:iam::")
        .and_then(|r| r.split_once(":oidc-provider/"))
        .is_some_and(|(account, name)| {
            account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()) && !name.is_empty()
        });
    if ok {
        Ok(())
    } else {
        Err(CoreError::InvalidInput(format!("ARN {arn} is not valid.")))
    }
}

fn dedup(items: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for i in items {
        if !out.iter().any(|o| o == i) {
            out.push((*i).to_owned());
        }
    }
    out
}

/// `iam:CreateOpenIDConnectProvider` (with `Tags`, which also need
/// `iam:TagOpenIDConnectProvider`): the new provider's ARN.
pub fn create_open_id_connect_provider(
    svc: &Service,
    caller: &Caller,
    url: &str,
    client_ids: &[&str],
    thumbprints: &[&str],
    tags: &[Tag],
) -> Result<OidcProvider, CoreError> {
    let name = url_name(url)?;
    check_thumbprints(thumbprints)?;
    let client_ids = dedup(client_ids);
    if client_ids.len() > MAX_CLIENT_IDS {
        return Err(CoreError::LimitExceeded(format!(
            "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {MAX_CLIENT_IDS}"
        )));
    }
    super::tags::check_tags(tags)?;
    let arn = format!("arn:aws:iam::{}:oidc-provider/{name}", caller.account);
    let tag_keys = super::tags::create_keys(tags);
    let extra: Vec<(&str, &str)> = tag_keys
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    svc.authorize(
        caller,
        "iam:CreateOpenIDConnectProvider",
        &arn,
        None,
        &extra,
    )?;
    super::tags::authorize_create_tags(
        svc,
        caller,
        super::tags::Taggable::OidcProvider,
        &arn,
        tags,
    )?;
    let now = svc.now();
    svc.mutate(|state| {
        if state.oidc_providers.contains_key(&arn) {
            return Err(CoreError::EntityAlreadyExists(format!(
                "Provider with url https://{name} already exists."
            )));
        }
        let count = state
            .oidc_providers
            .values()
            .filter(|p| p.account == caller.account)
            .count();
        if count >= MAX_PROVIDERS {
            return Err(CoreError::LimitExceeded(format!(
                "Cannot exceed quota for OpenIdConnectProvidersPerAccount: {MAX_PROVIDERS}"
            )));
        }
        let p = OidcProvider {
            arn: arn.clone(),
            account: caller.account.clone(),
            url: name.clone(),
            client_ids: client_ids.clone(),
            thumbprints: dedup(thumbprints),
            created: now,
            tags: tags.to_vec(),
        };
        Ok((p.clone(), vec![Change::Put(Record::OidcProvider(p))]))
    })
}

/// The provider an ARN names in the caller's account, once `action` is
/// authorized on it.
fn provider_for(
    svc: &Service,
    caller: &Caller,
    action: &str,
    arn: &str,
) -> Result<Option<OidcProvider>, CoreError> {
    check_arn(arn)?;
    svc.authorize(caller, action, arn, None, &[])?;
    Ok(svc
        .read()
        .oidc_providers
        .get(arn)
        .filter(|p| p.account == caller.account)
        .cloned())
}

/// `iam:GetOpenIDConnectProvider`.
pub fn get_open_id_connect_provider(
    svc: &Service,
    caller: &Caller,
    arn: &str,
) -> Result<OidcProvider, CoreError> {
    provider_for(svc, caller, "iam:GetOpenIDConnectProvider", arn)?
        .ok_or_else(|| no_such_provider(arn))
}

/// `iam:ListOpenIDConnectProviders`: the account's providers, by ARN.
pub fn list_open_id_connect_providers(
    svc: &Service,
    caller: &Caller,
) -> Result<Vec<OidcProvider>, CoreError> {
    svc.authorize(caller, "iam:ListOpenIDConnectProviders", "*", None, &[])?;
    Ok(svc
        .read()
        .oidc_providers
        .values()
        .filter(|p| p.account == caller.account)
        .cloned()
        .collect())
}

/// `iam:DeleteOpenIDConnectProvider`: idempotent, as documented (a provider
/// that does not exist is not an error).
pub fn delete_open_id_connect_provider(
    svc: &Service,
    caller: &Caller,
    arn: &str,
) -> Result<(), CoreError> {
    provider_for(svc, caller, "iam:DeleteOpenIDConnectProvider", arn)?;
    svc.mutate(|state| {
        let changes = match state.oidc_providers.get(arn) {
            Some(p) if p.account == caller.account => {
                vec![Change::Delete(table::OIDC_PROVIDERS, arn.to_owned())]
            }
            _ => Vec::new(),
        };
        Ok(((), changes))
    })
}

/// Re-reads the provider inside a mutation, applies `f` and stores it.
fn update(
    svc: &Service,
    caller: &Caller,
    action: &str,
    arn: &str,
    f: impl FnOnce(&mut OidcProvider) -> Result<(), CoreError>,
) -> Result<(), CoreError> {
    provider_for(svc, caller, action, arn)?;
    svc.mutate(|state| {
        let mut p = state
            .oidc_providers
            .get(arn)
            .filter(|p| p.account == caller.account)
            .cloned()
            .ok_or_else(|| no_such_provider(arn))?;
        f(&mut p)?;
        Ok(((), vec![Change::Put(Record::OidcProvider(p))]))
    })
}

/// `iam:AddClientIDToOpenIDConnectProvider`: idempotent, as documented.
pub fn add_client_id(
    svc: &Service,
    caller: &Caller,
    arn: &str,
    client_id: &str,
) -> Result<(), CoreError> {
    update(
        svc,
        caller,
        "iam:AddClientIDToOpenIDConnectProvider",
        arn,
        |p| {
            if p.client_ids.iter().any(|c| c == client_id) {
                return Ok(());
            }
            if p.client_ids.len() >= MAX_CLIENT_IDS {
                return Err(CoreError::LimitExceeded(format!(
                    "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {MAX_CLIENT_IDS}"
                )));
            }
            p.client_ids.push(client_id.to_owned());
            Ok(())
        },
    )
}

/// `iam:RemoveClientIDFromOpenIDConnectProvider`: idempotent, as
/// documented.
pub fn remove_client_id(
    svc: &Service,
    caller: &Caller,
    arn: &str,
    client_id: &str,
) -> Result<(), CoreError> {
    update(
        svc,
        caller,
        "iam:RemoveClientIDFromOpenIDConnectProvider",
        arn,
        |p| {
            p.client_ids.retain(|c| c != client_id);
            Ok(())
        },
    )
}

/// `iam:UpdateOpenIDConnectProviderThumbprint`: replaces the list.
pub fn update_thumbprints(
    svc: &Service,
    caller: &Caller,
    arn: &str,
    thumbprints: &[&str],
) -> Result<(), CoreError> {
    check_thumbprints(thumbprints)?;
    update(
        svc,
        caller,
        "iam:UpdateOpenIDConnectProviderThumbprint",
        arn,
        |p| {
            p.thumbprints = dedup(thumbprints);
            Ok(())
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_urls() {
        assert_eq!(url_name("https://example.com").unwrap(), "example.com");
        assert_eq!(
            url_name("https://token.actions.githubusercontent.com/").unwrap(),
            "token.actions.githubusercontent.com"
        );
        assert_eq!(
            url_name("https://idp.example.com/tenant/1").unwrap(),
            "idp.example.com/tenant/1"
        );
        for bad in [
            "http://example.com",
            "example.com",
            "https://",
            "https://a.com/?x=1",
            "https://a.com/#f",
            "https://u:p@idp.example.com/",
            "https://token@idp.example.com",
            "http://u:p@idp.example.com",
        ] {
            assert!(
                matches!(url_name(bad), Err(CoreError::InvalidInput(_))),
                "{bad}"
            );
        }
        // The refusal never repeats the credentials.
        let Err(CoreError::InvalidInput(m)) = url_name("https://u:secret@idp.example.com") else {
            panic!("accepted")
        };
        assert!(!m.contains("secret"), "{m}");
        // An `@` in the path is no user name.
        assert_eq!(
            url_name("https://idp.example.com/t/a@b").unwrap(),
            "idp.example.com/t/a@b"
        );
        assert!(check_arn("arn:aws:iam::111111111111:oidc-provider/example.com").is_ok());
        assert!(check_arn("arn:aws:iam::111111111111:role/x").is_err());
        assert!(check_thumbprints(&["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]).is_ok());
        assert!(check_thumbprints(&["zz99a48a9960b14926bb7f3b02e22da2b0ab7280"]).is_err());
    }
}
