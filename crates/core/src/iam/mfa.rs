//! MFA devices: CreateVirtualMFADevice, EnableMFADevice, ResyncMFADevice,
//! ListMFADevices, ListVirtualMFADevices, DeactivateMFADevice,
//! DeleteVirtualMFADevice, and the TOTP codes of virtual devices (RFC 6238:
//! HMAC-SHA1, 30-second steps, 6 digits).
//!
//! A virtual device's seed is a [`Secret`]: it is handed out once, by
//! `CreateVirtualMFADevice`, and never logged. Codes are checked against
//! [`Service::now`] and compared in constant time.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;
use subtle::ConstantTimeEq;
use time::OffsetDateTime;

use super::target::{RootRule, resolve};
use super::{check_name, check_path};
use crate::authz::Caller;
use crate::error::CoreError;
use crate::model::{Change, KeyOwner, MfaDevice, Record, mfa_key, table};
use crate::secret::Secret;
use crate::service::Service;

/// The TOTP step, in seconds.
pub const STEP: i64 = 30;

/// At most this many MFA devices per principal (AWS since 2022).
pub const MAX_PER_PRINCIPAL: usize = 8;

/// The name of the root user's virtual device made at the sign-in page.
pub const ROOT_DEVICE_NAME: &str = "root-account-mfa-device";

/// The TOTP step a time falls in.
pub fn step_of(t: OffsetDateTime) -> i64 {
    t.unix_timestamp().div_euclid(STEP)
}

/// A fresh seed: 40 random bytes, base32 without padding (64 characters, as
/// IAM's seeds are).
pub fn new_seed() -> Secret {
    let mut bytes = [0u8; 40];
    rand::rng().fill_bytes(&mut bytes);
    Secret::new(data_encoding::BASE32_NOPAD.encode(&bytes))
}

/// The 6-digit code of a base32 seed at a step (`None` if the seed is not
/// base32).
pub fn code_at_step(seed_base32: &str, step: i64) -> Option<String> {
    let key = data_encoding::BASE32_NOPAD
        .decode(seed_base32.trim_end_matches('=').as_bytes())
        .ok()?;
    let mut mac = Hmac::<Sha1>::new_from_slice(&key).ok()?;
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest.last()? & 0x0f);
    let word = digest.get(offset..offset + 4)?;
    let mut b = [0u8; 4];
    b.copy_from_slice(word);
    let n = u32::from_be_bytes(b) & 0x7fff_ffff;
    Some(format!("{:06}", n % 1_000_000))
}

/// The code of a base32 seed at a time.
pub fn code_at(seed_base32: &str, t: OffsetDateTime) -> Option<String> {
    code_at_step(seed_base32, step_of(t))
}

fn matches_step(seed: &Secret, code: &str, step: i64) -> bool {
    code_at_step(seed.expose(), step)
        .map(|c| bool::from(c.as_bytes().ct_eq(code.as_bytes())))
        .unwrap_or(false)
}

/// The step of `code` if it is the device's current code (one step of drift
/// allowed either way; every step is compared, so the time taken does not
/// say which matched).
pub fn current_step(seed: &Secret, code: &str, now: OffsetDateTime) -> Option<i64> {
    let n = step_of(now);
    let mut found = None;
    for s in n - 1..=n + 1 {
        if matches_step(seed, code, s) {
            found = Some(s);
        }
    }
    found
}

/// The step of `code2` if `code1`, `code2` are two consecutive codes, the
/// second one current or recent (up to two steps old, one step ahead).
pub fn consecutive_step(
    seed: &Secret,
    code1: &str,
    code2: &str,
    now: OffsetDateTime,
) -> Option<i64> {
    let n = step_of(now);
    let mut found = None;
    for s in n - 3..=n {
        if matches_step(seed, code1, s) && matches_step(seed, code2, s + 1) {
            found = Some(s + 1);
        }
    }
    found
}

/// Whether a code of `step` may still be used on `device`: only a step
/// after the last one used (a code is good once).
pub fn unused(device: &MfaDevice, step: i64) -> bool {
    device.last_step.is_none_or(|last| step > last)
}

/// Uses a current code of one of `owner`'s enabled devices in `account`
/// (the one named `serial`, or any): `Ok(true)` when a device takes it,
/// which then remembers its step, durably, before this returns (a second
/// use of the code, or of an earlier one, is refused, as AWS refuses a
/// reused code). `Ok(false)`: no device of the owner's takes it (unknown,
/// without a seed, wrong code, or used already).
pub fn use_code(
    svc: &Service,
    account: &str,
    owner: &KeyOwner,
    serial: Option<&str>,
    code: &str,
) -> Result<bool, CoreError> {
    let now = svc.now();
    svc.mutate(|state| {
        let taken = state
            .mfa_devices_for(account, owner)
            .into_iter()
            .filter(|d| d.enabled.is_some() && serial.is_none_or(|s| s == d.serial))
            .find_map(|d| {
                let step = current_step(d.seed.as_ref()?, code, now)?;
                unused(d, step).then(|| (d.clone(), step))
            });
        Ok(match taken {
            Some((mut d, step)) => {
                d.last_step = Some(step);
                (true, vec![Change::Put(Record::MfaDevice(d))])
            }
            None => (false, Vec::new()),
        })
    })
}

fn invalid_codes() -> CoreError {
    CoreError::InvalidAuthenticationCode("Authentication code for device is not valid.".into())
}

fn no_such_device(serial: &str) -> CoreError {
    CoreError::NoSuchEntity(format!(
        "MFA Device with serial number {serial} does not exist."
    ))
}

/// The serial of a virtual device: `arn:aws:iam::ACCOUNT:mfa/PATH/NAME`.
pub fn virtual_serial(account: &str, path: &str, name: &str) -> String {
    crate::ident::Arn::mfa(account, path, name).to_string()
}

/// A new, unassigned virtual device with a fresh seed.
pub fn new_virtual_device(account: &str, serial: String, now: OffsetDateTime) -> MfaDevice {
    MfaDevice {
        account: account.to_owned(),
        serial,
        is_virtual: true,
        seed: Some(new_seed()),
        owner: None,
        enabled: None,
        created: now,
        last_step: None,
        tags: Vec::new(),
    }
}

/// A hardware device (e.g. serial `GAHT12345678`) already enabled for `owner`,
/// for seeding demo accounts and tests; without a seed its codes cannot be
/// checked.
pub fn hardware_device(
    account: &str,
    serial: &str,
    owner: KeyOwner,
    seed: Option<Secret>,
    now: OffsetDateTime,
) -> MfaDevice {
    MfaDevice {
        account: account.to_owned(),
        serial: serial.to_owned(),
        is_virtual: false,
        seed,
        owner: Some(owner),
        enabled: Some(now),
        created: now,
        last_step: None,
        tags: Vec::new(),
    }
}

/// `iam:CreateVirtualMFADevice`: the new device, seed included.
pub fn create_virtual_mfa_device(
    svc: &Service,
    caller: &Caller,
    path: Option<&str>,
    name: &str,
    tags: &[crate::model::Tag],
) -> Result<MfaDevice, CoreError> {
    check_name("virtualMFADeviceName", name, 226)?;
    let path = path.unwrap_or("/");
    check_path(path)?;
    let serial = virtual_serial(&caller.account, path, name);
    let keys = super::tags::create_keys(tags);
    let keys: Vec<(&str, &str)> = keys.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    svc.authorize(caller, "iam:CreateVirtualMFADevice", &serial, None, &keys)?;
    super::tags::authorize_create_tags(
        svc,
        caller,
        super::tags::Taggable::MfaDevice,
        &serial,
        tags,
    )?;
    let now = svc.now();
    svc.mutate(|state| {
        if state
            .mfa_devices
            .contains_key(&mfa_key(&caller.account, &serial))
        {
            return Err(CoreError::EntityAlreadyExists(
                "MFADevice entity at the same path and name already exists.".into(),
            ));
        }
        let mut d = new_virtual_device(&caller.account, serial.clone(), now);
        d.tags = tags.to_vec();
        Ok((d.clone(), vec![Change::Put(Record::MfaDevice(d))]))
    })
}

/// Assigns an unassigned virtual device to `owner` after checking two
/// consecutive codes (shared by `EnableMFADevice` and the sign-in page).
pub fn enable_for(
    svc: &Service,
    account: &str,
    owner: &KeyOwner,
    serial: &str,
    code1: &str,
    code2: &str,
) -> Result<(), CoreError> {
    // Both codes are six digits: the model's constraint, checked on decode.
    let now = svc.now();
    svc.mutate(|state| {
        let mut d = state
            .mfa_devices
            .get(&mfa_key(account, serial))
            .cloned()
            .ok_or_else(|| {
                CoreError::NoSuchEntity(format!(
                    "VirtualMFADevice with serial number {serial} doesn't exist."
                ))
            })?;
        if d.owner.is_some() {
            return Err(CoreError::EntityAlreadyExists(
                "MFA Device is already in use.".into(),
            ));
        }
        if state.mfa_devices_for(account, owner).len() >= MAX_PER_PRINCIPAL {
            return Err(CoreError::LimitExceeded(format!(
                "Cannot exceed quota for MFADevicesPerUser: {MAX_PER_PRINCIPAL}"
            )));
        }
        let step = d
            .seed
            .as_ref()
            .and_then(|s| consecutive_step(s, code1, code2, now))
            .ok_or_else(invalid_codes)?;
        d.owner = Some(owner.clone());
        d.enabled = Some(now);
        // The two codes are used: the second one cannot then get a session.
        d.last_step = Some(step);
        Ok(((), vec![Change::Put(Record::MfaDevice(d))]))
    })
}

/// `iam:EnableMFADevice`.
pub fn enable_mfa_device(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
    serial: &str,
    code1: &str,
    code2: &str,
) -> Result<(), CoreError> {
    let target = resolve(svc, caller, user, RootRule::AnyRoot)?;
    target.authorize(svc, caller, "iam:EnableMFADevice")?;
    enable_for(svc, &caller.account, &target.owner, serial, code1, code2)
}

/// `iam:ResyncMFADevice`: checks two consecutive codes of an assigned device.
pub fn resync_mfa_device(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
    serial: &str,
    code1: &str,
    code2: &str,
) -> Result<(), CoreError> {
    let target = resolve(svc, caller, user, RootRule::AnyRoot)?;
    target.authorize(svc, caller, "iam:ResyncMFADevice")?;
    // Both codes are six digits: the model's constraint, checked on decode.
    let now = svc.now();
    svc.mutate(|state| {
        let mut d = state
            .mfa_devices
            .get(&mfa_key(&caller.account, serial))
            .filter(|d| d.owner.as_ref() == Some(&target.owner))
            .cloned()
            .ok_or_else(|| no_such_device(serial))?;
        let step = d
            .seed
            .as_ref()
            .and_then(|s| consecutive_step(s, code1, code2, now))
            .ok_or_else(invalid_codes)?;
        // The codes are used (never moving the mark back).
        d.last_step = Some(d.last_step.map_or(step, |last| last.max(step)));
        Ok(((), vec![Change::Put(Record::MfaDevice(d))]))
    })
}

/// `iam:GetMFADevice`: one device assigned to the target (the named user,
/// or the caller), with its owner; a device that is not the target's is
/// `NoSuchEntity`.
pub fn get_mfa_device(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
    serial: &str,
) -> Result<(KeyOwner, MfaDevice), CoreError> {
    let target = resolve(svc, caller, user, RootRule::AnyRoot)?;
    target.authorize(svc, caller, "iam:GetMFADevice")?;
    let device = svc
        .read()
        .mfa_devices
        .get(&mfa_key(&caller.account, serial))
        .filter(|d| d.owner.as_ref() == Some(&target.owner))
        .cloned()
        .ok_or_else(|| no_such_device(serial))?;
    Ok((target.owner, device))
}

/// `iam:ListMFADevices`: the devices assigned to the target, with its owner.
pub fn list_mfa_devices(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
) -> Result<(KeyOwner, Vec<MfaDevice>), CoreError> {
    let target = resolve(svc, caller, user, RootRule::AnyRoot)?;
    target.authorize(svc, caller, "iam:ListMFADevices")?;
    let devices = svc
        .read()
        .mfa_devices_for(&caller.account, &target.owner)
        .into_iter()
        .cloned()
        .collect();
    Ok((target.owner, devices))
}

/// Which virtual devices `ListVirtualMFADevices` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignment {
    /// Enabled for a user or root.
    Assigned,
    /// Not enabled.
    Unassigned,
    /// Both.
    Any,
}

/// `iam:ListVirtualMFADevices`, by serial.
pub fn list_virtual_mfa_devices(
    svc: &Service,
    caller: &Caller,
    assignment: Assignment,
) -> Result<Vec<MfaDevice>, CoreError> {
    svc.authorize(caller, "iam:ListVirtualMFADevices", "*", None, &[])?;
    let state = svc.read();
    Ok(state
        .mfa_devices_of(&caller.account)
        .filter(|d| d.is_virtual)
        .filter(|d| match assignment {
            Assignment::Any => true,
            Assignment::Assigned => d.owner.is_some(),
            Assignment::Unassigned => d.owner.is_none(),
        })
        .cloned()
        .collect())
}

/// `iam:DeactivateMFADevice`: a virtual device is unassigned (it still
/// exists); a hardware device is removed.
pub fn deactivate_mfa_device(
    svc: &Service,
    caller: &Caller,
    user: Option<&str>,
    serial: &str,
) -> Result<(), CoreError> {
    let target = resolve(svc, caller, user, RootRule::AssumeRootOnly)?;
    target.authorize(svc, caller, "iam:DeactivateMFADevice")?;
    let key = mfa_key(&caller.account, serial);
    svc.mutate(|state| {
        let mut d = state
            .mfa_devices
            .get(&key)
            .filter(|d| d.owner.as_ref() == Some(&target.owner))
            .cloned()
            .ok_or_else(|| no_such_device(serial))?;
        if d.is_virtual {
            d.owner = None;
            d.enabled = None;
            Ok(((), vec![Change::Put(Record::MfaDevice(d))]))
        } else {
            Ok(((), vec![Change::Delete(table::MFA_DEVICES, key.clone())]))
        }
    })
}

/// `iam:DeleteVirtualMFADevice`: only an unassigned virtual device.
pub fn delete_virtual_mfa_device(
    svc: &Service,
    caller: &Caller,
    serial: &str,
) -> Result<(), CoreError> {
    svc.authorize(caller, "iam:DeleteVirtualMFADevice", serial, None, &[])?;
    let key = mfa_key(&caller.account, serial);
    svc.mutate(|state| {
        let d = state
            .mfa_devices
            .get(&key)
            .filter(|d| d.is_virtual)
            .ok_or_else(|| {
                CoreError::NoSuchEntity(format!(
                    "VirtualMFADevice with serial number {serial} doesn't exist."
                ))
            })?;
        if d.owner.is_some() {
            return Err(CoreError::DeleteConflict(
                "MFA Device is still in use".into(),
            ));
        }
        Ok(((), vec![Change::Delete(table::MFA_DEVICES, key.clone())]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 (seed "12345678901234567890"), last 6 digits.
    #[test]
    fn rfc6238_vectors() {
        let seed = data_encoding::BASE32_NOPAD.encode(b"12345678901234567890");
        for (t, code) in [
            (59i64, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            let at = OffsetDateTime::from_unix_timestamp(t).unwrap();
            assert_eq!(code_at(&seed, at).unwrap(), code, "t={t}");
        }
    }

    #[test]
    fn windows() {
        let seed = new_seed();
        assert_eq!(seed.expose().len(), 64);
        let now = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        let at = |d: i64| code_at(seed.expose(), now + time::Duration::seconds(d)).unwrap();
        assert_eq!(current_step(&seed, &at(0), now), Some(step_of(now)));
        assert_eq!(current_step(&seed, &at(-30), now), Some(step_of(now) - 1));
        assert_eq!(current_step(&seed, &at(-90), now), None);
        assert_eq!(
            consecutive_step(&seed, &at(-30), &at(0), now),
            Some(step_of(now))
        );
        assert_eq!(consecutive_step(&seed, &at(0), &at(-30), now), None);
        assert_eq!(consecutive_step(&seed, &at(0), &at(0), now), None);
        assert_eq!(current_step(&seed, "12345", now), None);
        assert!(code_at("not base32!", now).is_none());
    }
}
