//! Fail closed (issue 12 item 4): a policy that governs a caller and cannot
//! be compiled or found never widens access. Property: corrupting or removing
//! any one policy of a caller (identity inline or managed, group inline or
//! managed, permissions boundary, session inline or managed, the SCP of any
//! level) never turns a deny into an allow.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::BTreeMap;
use std::sync::Arc;

use parking_lot::Mutex;
use proptest::prelude::*;
use rootward_core::authz::{Caller, CallerKind};
use rootward_core::bootstrap::bootstrap;
use rootward_core::clock::SystemClock;
use rootward_core::iam::{access_keys, groups, managed, policies, users};
use rootward_core::keys::Keys;
use rootward_core::model::{Change, Record, table};
use rootward_core::org::{accounts, organization, policies as scps, units};
use rootward_core::store::{Row, Store, StoreError, Write};
use rootward_core::{CoreError, Service};

/// A store in memory.
#[derive(Default)]
struct Memory {
    rows: Mutex<BTreeMap<(String, String), Vec<u8>>>,
}

impl Store for Memory {
    fn load(&self) -> Result<Vec<Row>, StoreError> {
        Ok(self
            .rows
            .lock()
            .iter()
            .map(|((t, k), v)| Row {
                table: t.clone(),
                key: k.clone(),
                value: v.clone(),
            })
            .collect())
    }
    fn commit(&self, writes: &[Write]) -> Result<(), StoreError> {
        let mut rows = self.rows.lock();
        for w in writes {
            match w {
                Write::Put { table, key, value } => {
                    rows.insert((table.to_string(), key.clone()), value.clone());
                }
                Write::Delete { table, key } => {
                    rows.remove(&(table.to_string(), key.clone()));
                }
                _ => {}
            }
        }
        Ok(())
    }
    fn get_blob(&self, _: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(None)
    }
}

const BROKEN: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NoSuchOperator":{"aws:x":"1"}}}]}"#;

fn doc(statements: &[(bool, &str)]) -> String {
    let body: Vec<String> = statements
        .iter()
        .map(|(allow, action)| {
            format!(
                r#"{{"Effect":"{}","Action":"{action}","Resource":"*"}}"#,
                if *allow { "Allow" } else { "Deny" }
            )
        })
        .collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        body.join(",")
    )
}

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:*",
    "iam:ListUsers",
    "iam:*",
    "*",
    "sqs:SendMessage",
];
const REQUESTS: &[&str] = &[
    "s3:GetObject",
    "iam:ListUsers",
    "sqs:SendMessage",
    "ec2:DescribeRegions",
];

fn statements() -> impl Strategy<Value = Vec<(bool, &'static str)>> {
    prop::collection::vec((any::<bool>(), prop::sample::select(ACTIONS)), 1..3)
}

/// The policies of one caller.
#[derive(Debug, Clone)]
struct Setup {
    inline: Vec<(bool, &'static str)>,
    attached: Vec<(bool, &'static str)>,
    group_inline: Vec<(bool, &'static str)>,
    group_attached: Vec<(bool, &'static str)>,
    boundary: Option<Vec<(bool, &'static str)>>,
    session_inline: Option<Vec<(bool, &'static str)>>,
    session_managed: Option<Vec<(bool, &'static str)>>,
    scps: [Option<Vec<(bool, &'static str)>>; 3],
}

fn setup() -> impl Strategy<Value = Setup> {
    (
        statements(),
        statements(),
        statements(),
        statements(),
        prop::option::of(statements()),
        prop::option::of(statements()),
        prop::option::of(statements()),
        [
            prop::option::of(statements()),
            prop::option::of(statements()),
            prop::option::of(statements()),
        ],
    )
        .prop_map(
            |(
                inline,
                attached,
                group_inline,
                group_attached,
                boundary,
                session_inline,
                session_managed,
                scps,
            )| Setup {
                inline,
                attached,
                group_inline,
                group_attached,
                boundary,
                session_inline,
                session_managed,
                scps,
            },
        )
}

/// Where each policy lives, to corrupt or remove it.
struct World {
    svc: Service,
    caller: Caller,
    app: String,
    scp_ids: Vec<String>,
}

fn root_of(account: &str) -> Caller {
    Caller {
        account: account.to_owned(),
        kind: CallerKind::Root,
        access_key_id: "AKIATESTROOT00000000".into(),
        token_issued: None,
        session_policies: Vec::new(),
        session_policy_arns: Vec::new(),
        tags: Vec::new(),
        task_policy: None,
        source_identity: None,
        source_ip: None,
        user_agent: None,
        region: "us-east-1".into(),
        secure_transport: false,
        mfa: false,
        session_token: false,
    }
}

fn build(s: &Setup) -> World {
    let svc = Service::open(
        Box::new(Memory::default()),
        Arc::new(SystemClock::default()),
        Keys::ephemeral(),
    )
    .unwrap();
    bootstrap(
        &svc,
        Some("111111111111"),
        Some("AKIAROOTWARDTEST0001"),
        Some("secret-secret-secret-secret-secret-secre"),
    )
    .unwrap();
    let admin = svc.credential("AKIAROOTWARDTEST0001", None).unwrap().caller;
    let org = organization::create_organization(&svc, &admin, None)
        .unwrap()
        .org;
    let ou = units::create_ou(&svc, &admin, &org.root_id, "Workloads").unwrap();
    accounts::create_account(
        &svc,
        &admin,
        accounts::CreateAccount {
            email: "app@example.com",
            account_name: "app",
            ..Default::default()
        },
    )
    .unwrap();
    let app = accounts::list_accounts(&svc, &admin, Default::default())
        .unwrap()
        .items
        .into_iter()
        .find(|a| a.name == "app")
        .unwrap()
        .id;
    accounts::move_account(
        &svc,
        &admin,
        &rootward_core::org::account_id(&app).unwrap(),
        &org.root_id,
        &ou.id,
    )
    .unwrap();
    let root = root_of(&app);
    let arn = |name: &str| format!("arn:aws:iam::{app}:policy/{name}");
    for (name, st) in [
        ("attached", Some(&s.attached)),
        ("group-attached", Some(&s.group_attached)),
        ("boundary", s.boundary.as_ref()),
        ("session", s.session_managed.as_ref()),
    ] {
        if let Some(st) = st {
            managed::create_policy(&svc, &root, name, None, &doc(st), None).unwrap();
        }
    }
    users::create_user_with_boundary(
        &svc,
        &root,
        "u",
        None,
        s.boundary.as_ref().map(|_| arn("boundary")).as_deref(),
    )
    .unwrap();
    policies::put_user_policy(&svc, &root, "u", "inline", &doc(&s.inline)).unwrap();
    policies::attach_user_policy(&svc, &root, "u", &arn("attached")).unwrap();
    groups::create_group(&svc, &root, "g", None).unwrap();
    groups::add_user_to_group(&svc, &root, "g", "u").unwrap();
    groups::put_group_policy(&svc, &root, "g", "inline", &doc(&s.group_inline)).unwrap();
    groups::attach_group_policy(&svc, &root, "g", &arn("group-attached")).unwrap();
    let key = access_keys::create_access_key(&svc, &root, Some("u")).unwrap();
    // SCPs last: they bound the member's root, which set everything up.
    let mut scp_ids = Vec::new();
    for (level, target) in [&org.root_id, &ou.id, &app].into_iter().enumerate() {
        if let Some(st) = &s.scps[level] {
            let p = scps::create_policy(
                &svc,
                &admin,
                scps::CreatePolicy {
                    content: &doc(st),
                    description: "",
                    name: &format!("scp{level}"),
                    policy_type: "SERVICE_CONTROL_POLICY",
                },
            )
            .unwrap();
            scps::attach_policy(&svc, &admin, &p.id, target).unwrap();
            scp_ids.push(p.id);
        }
    }
    let mut caller = svc.credential(&key.id, None).unwrap().caller;
    if let Some(st) = &s.session_inline {
        caller.session_policies = vec![doc(st)];
    }
    if s.session_managed.is_some() {
        caller.session_policy_arns = vec![arn("session")];
    }
    World {
        svc,
        caller,
        app,
        scp_ids,
    }
}

fn allowed(w: &World, caller: &Caller, action: &str) -> bool {
    match w.svc.authorize(caller, action, "*", None, &[]) {
        Ok(()) => true,
        Err(CoreError::AccessDenied(_)) => false,
        Err(e) => panic!("{e:?}"),
    }
}

/// One way to damage one policy, and how to undo it.
#[expect(
    clippy::large_enum_variant,
    reason = "a handful of test values, built once"
)]
enum Damage {
    Record(Record),
    Delete(&'static str, String),
    SessionInline,
}

fn put(svc: &Service, r: Record) {
    svc.mutate(|_| Ok(((), vec![Change::Put(r)]))).unwrap();
}

fn damages(w: &World) -> Vec<(String, Damage)> {
    let state = w.svc.read();
    let mut out = Vec::new();
    let user = state.user(&w.app, "u").unwrap().clone();
    let mut broken = user.clone();
    broken
        .inline_policies
        .insert("inline".into(), BROKEN.into());
    out.push((
        "user inline corrupted".into(),
        Damage::Record(Record::User(broken)),
    ));
    let group = state.group(&w.app, "g").unwrap().clone();
    let mut broken = group.clone();
    broken
        .inline_policies
        .insert("inline".into(), BROKEN.into());
    out.push((
        "group inline corrupted".into(),
        Damage::Record(Record::Group(broken)),
    ));
    for name in ["attached", "group-attached", "boundary", "session"] {
        let arn = format!("arn:aws:iam::{}:policy/{name}", w.app);
        if let Some(p) = state.policies.get(&arn) {
            let mut broken = p.clone();
            for v in broken.versions.values_mut() {
                v.document = BROKEN.into();
            }
            out.push((
                format!("{name} corrupted"),
                Damage::Record(Record::Policy(broken)),
            ));
            out.push((
                format!("{name} removed"),
                Damage::Delete(table::POLICIES, arn),
            ));
        }
    }
    for id in &w.scp_ids {
        let p = state.org.policies.get(id).unwrap().clone();
        let mut broken = p.clone();
        broken.content = BROKEN.into();
        out.push((
            format!("SCP {id} corrupted"),
            Damage::Record(Record::OrgPolicy(broken)),
        ));
        out.push((
            format!("SCP {id} removed"),
            Damage::Delete(table::ORG_POLICIES, id.clone()),
        ));
    }
    if !w.caller.session_policies.is_empty() {
        out.push(("session inline corrupted".into(), Damage::SessionInline));
    }
    out
}

fn original(w: &World, d: &Damage) -> Option<Record> {
    let state = w.svc.read();
    match d {
        Damage::Record(Record::User(_)) => state.user(&w.app, "u").cloned().map(Record::User),
        Damage::Record(Record::Group(_)) => state.group(&w.app, "g").cloned().map(Record::Group),
        Damage::Record(Record::Policy(p)) => {
            state.policies.get(&p.arn).cloned().map(Record::Policy)
        }
        Damage::Record(Record::OrgPolicy(p)) => state
            .org
            .policies
            .get(&p.id)
            .cloned()
            .map(Record::OrgPolicy),
        Damage::Delete(t, key) if *t == table::POLICIES => {
            state.policies.get(key).cloned().map(Record::Policy)
        }
        Damage::Delete(_, key) => state.org.policies.get(key).cloned().map(Record::OrgPolicy),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn corrupting_or_removing_any_one_policy_never_turns_a_deny_into_an_allow(s in setup()) {
        let w = build(&s);
        let before: Vec<bool> = REQUESTS.iter().map(|a| allowed(&w, &w.caller, a)).collect();
        for (what, damage) in damages(&w) {
            let saved = original(&w, &damage);
            let mut caller = w.caller.clone();
            match &damage {
                Damage::Record(r) => put(&w.svc, r.clone()),
                Damage::Delete(t, key) => {
                    let (t, key) = (*t, key.clone());
                    w.svc.mutate(|_| Ok(((), vec![Change::Delete(t, key)]))).unwrap();
                }
                Damage::SessionInline => caller.session_policies = vec![BROKEN.to_owned()],
            }
            for (i, action) in REQUESTS.iter().enumerate() {
                let after = allowed(&w, &caller, action);
                prop_assert!(
                    before[i] || !after,
                    "{what}: {action} was denied and is now allowed ({s:?})"
                );
                // A damaged policy that governs the caller denies outright.
                prop_assert!(!after, "{what}: {action} allowed by a damaged policy set");
            }
            if let Some(r) = saved {
                put(&w.svc, r);
            }
            let restored: Vec<bool> = REQUESTS.iter().map(|a| allowed(&w, &w.caller, a)).collect();
            prop_assert_eq!(&restored, &before, "{} not restored", what);
        }
    }
}

#[test]
fn a_stored_policy_that_stops_compiling_denies_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let keys = || {
        Keys::new(
            &rootward_core::keys::MasterKey::read_or_create(&dir.path().join("master.key"))
                .unwrap(),
            None,
        )
    };
    let open = || {
        let store =
            rootward_core::store::sqlite::SqliteStore::open(&dir.path().join("state.db")).unwrap();
        Service::open(Box::new(store), Arc::new(SystemClock::default()), keys()).unwrap()
    };
    let svc = open();
    bootstrap(
        &svc,
        Some("111111111111"),
        Some("AKIAROOTWARDTEST0001"),
        Some("secret-secret-secret-secret-secret-secre"),
    )
    .unwrap();
    let admin = svc.credential("AKIAROOTWARDTEST0001", None).unwrap().caller;
    users::create_user(&svc, &admin, "dora", None).unwrap();
    policies::put_user_policy(&svc, &admin, "dora", "all", &doc(&[(true, "*")])).unwrap();
    let key = access_keys::create_access_key(&svc, &admin, Some("dora")).unwrap();
    let dora = svc.credential(&key.id, None).unwrap().caller;
    svc.authorize(&dora, "iam:ListUsers", "*", None, &[])
        .unwrap();
    // An older engine accepted a document this one refuses: the record is
    // written as it was stored then.
    let mut u = svc.read().user("111111111111", "dora").unwrap().clone();
    u.inline_policies.insert("legacy".into(), BROKEN.into());
    put(&svc, Record::User(u));
    drop(svc);
    let svc = open();
    let dora = svc.credential(&key.id, None).unwrap().caller;
    match svc.authorize(&dora, "iam:ListUsers", "*", None, &[]) {
        Err(CoreError::AccessDenied(m)) => assert!(m.contains("explicit deny"), "{m}"),
        other => panic!("{other:?}"),
    }
}
