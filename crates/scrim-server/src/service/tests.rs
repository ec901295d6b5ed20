//! The service layer without HTTP: principals are built directly and methods called as the
//! handlers call them.

use std::sync::Arc;

use serde_json::{json, Value};

use scrim_store::{Governance, Keyring, SecretKey, Store};

use super::facts::facts_from_profile;
use super::*;
use crate::authz::{Principal, Role};

async fn gateway(tmp: &std::path::Path) -> Arc<Gateway> {
    let store = Store::open(&tmp.join("gw.db").display().to_string())
        .await
        .unwrap();
    let ring = Keyring::from_keys(vec![SecretKey::random().unwrap()]).unwrap();
    Gateway::new(
        store,
        &ring,
        Governance::default_policy().unwrap(),
        scrim_core::Policy::default_policy().unwrap(),
        Settings::default(),
    )
    .await
    .unwrap()
}

fn principal(id: &str, role: Role, projects: &[&str], clearances: &[&str]) -> Principal {
    Principal {
        id: id.into(),
        name: id.into(),
        role,
        projects: projects.iter().map(|p| (*p).to_string()).collect(),
        clearances: clearances.iter().map(|c| (*c).to_string()).collect(),
    }
}

/// A project whose view shows every turn, routes health to cleared reviewers, and three
/// conversations in it (the second about health).
async fn project_with_tasks(gw: &Arc<Gateway>) -> (String, Vec<String>) {
    let po = principal("u_po", Role::PrivacyOfficer, &[], &[]);
    let spec = json!({"turns": "all", "sensitive": {"health": "route"}});
    let new: NewProject =
        serde_json::from_value(json!({"name": "P", "purpose": "human_review", "spec": spec}))
            .unwrap();
    let reply = gw.create_project(&po, new).await.unwrap();
    let pid = reply.into_inner().project.id;
    let feeder = principal("u_feed", Role::Ingest, &[], &[]);
    let mut tasks = Vec::new();
    for (i, text) in [
        "please check my essay",
        "my doctor says the chemotherapy for my cancer starts monday",
        "how do I bake bread",
    ]
    .iter()
    .enumerate()
    {
        let body = json!({"id": format!("c{i}"), "subject": format!("s{i}"), "source": "ai_chat",
                          "messages": [{"role": "user", "content": text}]});
        match gw.ingest(&feeder, &pid, body).await.unwrap().into_inner() {
            Ingested::Stored { task, .. } => tasks.push(task),
            _ => panic!("conversation {i} was not stored"),
        }
    }
    (pid, tasks)
}

#[tokio::test]
async fn the_next_task_is_the_one_held_then_the_oldest_open_one_the_reviewer_may_see() {
    let tmp = tempfile::tempdir().unwrap();
    let gw = gateway(tmp.path()).await;
    let (pid, tasks) = project_with_tasks(&gw).await;
    let rita = principal("u_rita", Role::Reviewer, &[&pid], &[]);
    let first = gw
        .next_task(&rita, &pid)
        .await
        .unwrap()
        .into_inner()
        .unwrap();
    assert_eq!(first["id"], json!(tasks[0]));
    let again = gw
        .next_task(&rita, &pid)
        .await
        .unwrap()
        .into_inner()
        .unwrap();
    assert_eq!(again["id"], json!(tasks[0]), "a held task comes first");
    gw.skip_task(&rita, &tasks[0]).await.unwrap().into_inner();
    let next = gw
        .next_task(&rita, &pid)
        .await
        .unwrap()
        .into_inner()
        .unwrap();
    assert_eq!(
        next["id"],
        json!(tasks[2]),
        "the health task is routed to cleared reviewers only"
    );
    let rhea = principal("u_rhea", Role::Reviewer, &[&pid], &["health"]);
    let cleared = gw
        .next_task(&rhea, &pid)
        .await
        .unwrap()
        .into_inner()
        .unwrap();
    assert_eq!(cleared["id"], json!(tasks[1]));
    gw.skip_task(&rita, &tasks[2]).await.unwrap().into_inner();
    assert!(
        gw.next_task(&rita, &pid)
            .await
            .unwrap()
            .into_inner()
            .is_none(),
        "nothing left for her"
    );
    let outsider = principal("u_out", Role::Reviewer, &[], &[]);
    assert!(matches!(
        gw.next_task(&outsider, &pid).await,
        Err(Error::Forbidden)
    ));
}

#[test]
fn facts_from_a_profile_keep_quasi_identifiers_and_drop_identifiers() {
    let profile = json!({"City": "Lyon", "age": "34", "gender": "f", "email": "x@example.org",
                         "full_name": "Ann Example", "passport": "X1234567", "hobbies": ["chess", "judo"]});
    let f = facts_from_profile(profile.as_object());
    assert_eq!(f.city.as_deref(), Some("Lyon"));
    assert_eq!(f.age, Some(34));
    assert_eq!(f.gender.as_deref(), Some("f"));
    assert_eq!(
        f.other.get("hobbies").map(String::as_str),
        Some("chess, judo")
    );
    let all = serde_json::to_string(&f.other).unwrap();
    for raw in ["x@example.org", "Ann Example", "X1234567"] {
        assert!(!all.contains(raw), "{raw} became a fact");
    }
}

#[tokio::test]
async fn a_view_shows_allow_listed_roles_and_names_what_it_reveals() {
    let tmp = tempfile::tempdir().unwrap();
    let gw = gateway(tmp.path()).await;
    let (pid, tasks) = project_with_tasks(&gw).await;
    let feeder = principal("u_feed", Role::Ingest, &[], &[]);
    let body = json!({"id": "odd", "subject": "s9", "source": "ai_chat", "messages": [
        {"role": "Dr. Ann Example", "content": "hello"},
        {"role": "assistant", "content": "hi"}]});
    let Ingested::Stored { task, .. } = gw.ingest(&feeder, &pid, body).await.unwrap().into_inner()
    else {
        panic!("not stored");
    };
    let t = gw.task(&task).await.unwrap();
    let p = gw.project(&pid).await.unwrap();
    let (v, fields) = gw.shown(&t, &p).await.unwrap();
    let roles: Vec<&Value> = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["role"])
        .collect();
    assert!(!v.to_string().contains("Ann Example"), "{v}");
    assert!(roles.contains(&&json!("assistant")), "{roles:?}");
    assert!(
        fields.contains(&"messages:assistant".to_string()),
        "{fields:?}"
    );
    assert!(fields.iter().all(|f| !f.contains("Ann")), "{fields:?}");
    assert_eq!(v["project"], json!(pid));
    assert_eq!(tasks.len(), 3);
}
