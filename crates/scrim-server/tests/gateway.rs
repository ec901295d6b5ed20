//! The review gateway end to end, in process: every endpoint against every role (and nobody),
//! what reviewers can and cannot obtain, and the audit chain under tampering. Runs on SQLite
//! and, when `SCRIM_TEST_PG_URL` is set (CI: `tools/pg.sh start`), on PostgreSQL too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test or fuzz check fails by panicking"
)] // test helpers outside #[test] fns

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use scrim_server::authz::Role;
use scrim_server::{auth, router, Gateway, Settings};
use scrim_store::{Governance, Keyring, SecretKey, Store};

struct World {
    gw: Arc<Gateway>,
    tokens: BTreeMap<&'static str, String>,
    project_a: String,
    project_b: String,
    project_t: String,
}

async fn call(
    gw: &Arc<Gateway>,
    token: Option<&str>,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let req = match body {
        Some(b) => req
            .header("content-type", "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let resp = router(Arc::clone(gw)).oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let v = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, v)
}

async fn open_store(tmp: &std::path::Path, pg: Option<&str>) -> Store {
    let url = scrim_store::testing::fresh_url(pg, tmp, "gw.db")
        .await
        .unwrap();
    Store::open(&url).await.unwrap()
}

fn backends() -> Vec<Option<String>> {
    scrim_store::testing::backends().unwrap_or_else(|e| panic!("{e}"))
}

const JPEG_WITH_GPS: &str = include_str!("../../../examples/conversations.jsonl");

fn conversation(id: &str, subject: &str, city: &str, age: u32, extra: &str) -> Value {
    json!({
        "id": id, "subject": subject, "source": "ai_chat",
        "messages": [
            {"role": "user", "content": format!("hi, I'm Hailey Mills, email hailey.mills{id}@gmail.com, call (208) 555-01{:02}. {extra}", age)},
            {"role": "assistant", "content": "Happy to help, Hailey!"}
        ],
        "profile": {"first_name": "Hailey", "city": city, "age": age, "gender": "female", "hobbies": ["sushi"]},
    })
}

async fn world(pg: Option<&str>, tmp: &std::path::Path) -> World {
    world_with(pg, tmp, 1000).await
}

async fn world_with(pg: Option<&str>, tmp: &std::path::Path, reads_per_minute: usize) -> World {
    let settings = Settings {
        reviewer_reads_per_minute: reads_per_minute,
        session_hours: 1,
        ..Settings::default()
    };
    world_settings(pg, tmp, settings).await
}

async fn world_settings(pg: Option<&str>, tmp: &std::path::Path, settings: Settings) -> World {
    let ring = Keyring::from_keys(vec![SecretKey::random().unwrap()]).unwrap();
    world_ring(pg, tmp, settings, &ring).await
}

async fn world_ring(
    pg: Option<&str>,
    tmp: &std::path::Path,
    settings: Settings,
    ring: &Keyring,
) -> World {
    let store = open_store(tmp, pg).await;
    let gw = Gateway::new(
        store,
        ring,
        Governance::default_policy().unwrap(),
        scrim_core::Policy::default_policy().unwrap(),
        settings,
    )
    .await
    .unwrap();
    let pool = gw.store().pool().clone();
    let admin = auth::create_user(&pool, "root", Role::Admin, None, &[], &[])
        .await
        .unwrap();
    let admin_token = auth::issue_token(&pool, &admin, "api", None).await.unwrap();
    // The first privacy officer is created from the command line (`scrim users add`), as the
    // admin's own proposals for privileged accounts need a privacy officer's approval.
    let po = auth::create_user(&pool, "pia", Role::PrivacyOfficer, None, &[], &[])
        .await
        .unwrap();
    let po_token = auth::issue_token(&pool, &po, "api", None).await.unwrap();
    let mk = |name: &str, purpose: &str, spec: Value| json!({"name": name, "purpose": purpose, "spec": spec});
    let spec_a = json!({"turns": "all", "profile": {"place": "region", "age": "band10", "gender": true, "k": 5}, "images": false,
                         "sensitive": {"health": "route"}});
    let spec_b = json!({"turns": "user", "profile": {"place": "city", "k": 10}, "images": true});
    let (s, a) = call(
        &gw,
        Some(&po_token),
        Method::POST,
        "/api/projects",
        Some(mk("Project A", "human_review", spec_a)),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let (_, b) = call(
        &gw,
        Some(&po_token),
        Method::POST,
        "/api/projects",
        Some(mk("Project B", "human_review", spec_b)),
    )
    .await;
    let (_, t) = call(
        &gw,
        Some(&po_token),
        Method::POST,
        "/api/projects",
        Some(mk("Training T", "training", json!({}))),
    )
    .await;
    let (pa, pb, pt) = (
        a["id"].as_str().unwrap().to_string(),
        b["id"].as_str().unwrap().to_string(),
        t["id"].as_str().unwrap().to_string(),
    );
    let mut tokens = BTreeMap::new();
    tokens.insert("admin", admin_token.clone());
    tokens.insert("privacy_officer", po_token.clone());
    for (key, name, role, projects, clear) in [
        ("reviewer", "rita", "reviewer", vec![pa.clone()], vec![]),
        ("reviewer_b", "rob", "reviewer", vec![pb.clone()], vec![]),
        (
            "reviewer_cleared",
            "rhea",
            "reviewer",
            vec![pa.clone()],
            vec!["health"],
        ),
        ("ingest", "feeder", "ingest", vec![], vec![]),
        ("trainer", "tess", "trainer", vec![], vec![]),
        ("redactor", "presto", "redactor", vec![], vec![]),
    ] {
        let token = add_user(
            &gw,
            &admin_token,
            &po_token,
            json!({"name": name, "role": role, "projects": projects, "clearances": clear}),
        )
        .await;
        tokens.insert(key, token);
    }
    World {
        gw,
        tokens,
        project_a: pa,
        project_b: pb,
        project_t: pt,
    }
}

/// A user the admin creates; when the account needs a privacy officer's approval (202), the
/// privacy officer approves it and receives its token.
async fn add_user(gw: &Arc<Gateway>, admin: &str, po: &str, body: Value) -> String {
    let (s, u) = call(gw, Some(admin), Method::POST, "/api/users", Some(body)).await;
    if s == StatusCode::CREATED {
        return u["token"].as_str().unwrap().to_string();
    }
    assert_eq!(s, StatusCode::ACCEPTED, "{u}");
    assert!(u.get("token").is_none(), "no token before approval: {u}");
    let id = u["approval"]["id"].as_str().unwrap().to_string();
    let (s, a) = call(
        gw,
        Some(po),
        Method::POST,
        &format!("/api/approvals/{id}/approve"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    a["token"].as_str().unwrap().to_string()
}

/// A reviewer asks for the next task of a project.
async fn next_task(gw: &Arc<Gateway>, token: &str, pid: &str) -> (StatusCode, Value) {
    let path = format!("/api/projects/{pid}/next");
    call(gw, Some(token), Method::POST, &path, None).await
}

/// A project the privacy officer sets up with `spec`, and a reviewer `name` on it: the
/// project's id and the reviewer's token.
async fn project_with_reviewer(
    w: &World,
    project: &str,
    spec: Value,
    name: &str,
) -> (String, String) {
    let po = &w.tokens["privacy_officer"];
    let (s, p) = call(
        &w.gw,
        Some(po),
        Method::POST,
        "/api/projects",
        Some(json!({"name": project, "purpose": "human_review", "spec": spec})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let pid = p["id"].as_str().unwrap().to_string();
    let token = add_user(
        &w.gw,
        &w.tokens["admin"],
        po,
        json!({"name": name, "role": "reviewer", "projects": [pid]}),
    )
    .await;
    (pid, token)
}

#[tokio::test]
async fn role_matrix_and_what_reviewers_can_never_obtain() {
    for pg in backends() {
        let tmp = tempfile::tempdir().unwrap();
        let w = world(pg.as_deref(), tmp.path()).await;
        let gw = &w.gw;
        let ing = w.tokens["ingest"].clone();
        // Ingest: four subjects in Boise/Nampa/Meridian (Idaho), ages 30-39 -> k = 3 reachable at region.
        let mut ids = Vec::new();
        for (i, (city, age)) in [
            ("Boise", 31),
            ("Nampa", 34),
            ("Meridian", 36),
            ("Boise", 38),
        ]
        .iter()
        .enumerate()
        {
            let (s, r) = call(
                gw,
                Some(&ing),
                Method::POST,
                &format!("/api/projects/{}/conversations", w.project_a),
                Some(conversation(
                    &format!("c{i}"),
                    &format!("user-{i}"),
                    city,
                    *age,
                    "",
                )),
            )
            .await;
            assert_eq!(s, StatusCode::CREATED, "{r}");
            ids.push(r["task"].as_str().unwrap().to_string());
        }
        // A health conversation: routed to cleared reviewers only.
        let (s, r) = call(
            gw,
            Some(&ing),
            Method::POST,
            &format!("/api/projects/{}/conversations", w.project_a),
            Some(conversation(
                "c9",
                "user-9",
                "Boise",
                33,
                "My therapist changed my antidepressant dose.",
            )),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
        assert_eq!(r["routed"], json!(["health"]));
        let health_task = r["task"].as_str().unwrap().to_string();
        // Project B shows images: one record with a GPS-tagged photo.
        let example: Value = serde_json::from_str(JPEG_WITH_GPS.lines().next().unwrap()).unwrap();
        let (s, r) = call(
            gw,
            Some(&ing),
            Method::POST,
            &format!("/api/projects/{}/conversations", w.project_b),
            Some(example.clone()),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
        let task_b = r["task"].as_str().unwrap().to_string();
        // A DM is refused at ingest; so is an opted-out subject.
        let mut dm = conversation("dm1", "user-7", "Boise", 30, "");
        dm["source"] = json!("dm");
        let (s, r) = call(
            gw,
            Some(&ing),
            Method::POST,
            &format!("/api/projects/{}/conversations", w.project_a),
            Some(dm),
        )
        .await;
        assert_eq!(
            (s, r["reason"].clone()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!("source_forbids_purpose")
            )
        );
        gw.store().opt_out("user-8", "test").await.unwrap();
        let (s, r) = call(
            gw,
            Some(&ing),
            Method::POST,
            &format!("/api/projects/{}/conversations", w.project_a),
            Some(conversation("c8", "user-8", "Boise", 30, "")),
        )
        .await;
        assert_eq!(
            (s, r["reason"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!("opted_out"))
        );

        // The reviewer of A gets tasks of A, never the routed health task, never B's.
        let rita = w.tokens["reviewer"].clone();
        let (s, task) = call(
            gw,
            Some(&rita),
            Method::POST,
            &format!("/api/projects/{}/next", w.project_a),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{task}");
        let text = task.to_string();
        for raw in [
            "Hailey",
            "Mills",
            "gmail.com",
            "555-01",
            "Boise",
            "Nampa",
            "sushi",
            "user-0",
            "31",
        ] {
            assert!(!text.contains(raw), "reviewer saw {raw}: {text}");
        }
        assert_eq!(task["profile"]["place"], "Idaho", "{text}");
        assert_eq!(task["profile"]["age"], "30-39", "{text}");
        let my_task = task["id"].as_str().unwrap().to_string();
        assert!(ids.contains(&my_task));
        let (s, _) = call(
            gw,
            Some(&rita),
            Method::GET,
            &format!("/api/tasks/{health_task}"),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "not cleared for health");
        let (s, _) = call(
            gw,
            Some(&rita),
            Method::GET,
            &format!("/api/tasks/{task_b}"),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "another project's task");
        let (s, _) = call(
            gw,
            Some(&rita),
            Method::POST,
            &format!("/api/projects/{}/next", w.project_b),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "another project's queue");
        let (s, _) = call(
            gw,
            Some(&rita),
            Method::GET,
            &format!(
                "/api/tasks/{}",
                ids.iter().find(|i| **i != my_task).unwrap()
            ),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "a task of A not assigned to her");
        // The cleared reviewer does get the health task (when it is next in line for her).
        let rhea = w.tokens["reviewer_cleared"].clone();
        let mut got_health = false;
        for _ in 0..6 {
            let (s, t) = call(
                gw,
                Some(&rhea),
                Method::POST,
                &format!("/api/projects/{}/next", w.project_a),
                None,
            )
            .await;
            if s != StatusCode::OK {
                break;
            }
            let id = t["id"].as_str().unwrap().to_string();
            if id == health_task {
                got_health = true;
                assert!(t.to_string().contains("therapist"));
                break;
            }
            call(
                gw,
                Some(&rhea),
                Method::POST,
                &format!("/api/tasks/{id}/skip"),
                None,
            )
            .await;
        }
        assert!(got_health);
        // Project B: k = 10 cannot be reached by one subject: the profile is suppressed; the
        // image is there, without its GPS metadata.
        let rob = w.tokens["reviewer_b"].clone();
        let (s, tb) = call(
            gw,
            Some(&rob),
            Method::POST,
            &format!("/api/projects/{}/next", w.project_b),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(tb["profile"]["suppressed"], true, "{tb}");
        assert!(tb["profile"]["place"].is_null());
        let img = tb["attachments"][0]["data"].as_str().unwrap();
        let orig = example["attachments"][0]["data"].as_str().unwrap();
        assert_ne!(img, orig, "metadata stripped");
        assert!(
            tb["messages"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["role"] == "user"),
            "B shows user turns only"
        );
        // Project A withholds images: none in A's tasks.
        assert!(task.get("attachments").is_none());

        // Flag leftover text: the view is re-redacted, the next ingest hides the value too.
        let content = task["messages"][1]["content"].as_str().unwrap().to_string();
        assert!(content.starts_with("Happy to help"), "{content}");
        let (s, flagged) = call(
            gw,
            Some(&rita),
            Method::POST,
            &format!("/api/tasks/{my_task}/flags"),
            Some(json!({"message": 1, "start": 0, "end": 5})),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{flagged}");
        assert_eq!(
            flagged["messages"][1]["content"].as_str().unwrap(),
            content.replacen("Happy", "[FLAGGED]", 1)
        );
        let (s, r) = call(
            gw,
            Some(&ing),
            Method::POST,
            &format!("/api/projects/{}/conversations", w.project_a),
            Some(conversation("c5", "user-5", "Boise", 35, "")),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED);
        let _ = r;
        let (s, _) = call(
            gw,
            Some(&rita),
            Method::POST,
            &format!("/api/tasks/{my_task}/rating"),
            Some(json!({"rating": {"score": 4}})),
        )
        .await;
        assert_eq!(s, StatusCode::OK);

        // Privacy officer figures: residual leak rate = flagged / reviewed.
        let po = w.tokens["privacy_officer"].clone();
        let (s, st) = call(
            gw,
            Some(&po),
            Method::GET,
            &format!("/api/projects/{}/stats", w.project_a),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{st}");
        assert_eq!(st["flagged_tasks"], 1);
        assert!(st["anonymity"]["achieved_k"].as_u64().unwrap() >= 3, "{st}");

        // The matrix: every endpoint, every role, and nobody.
        let t_any = ids[3].clone();
        let (_, users) = call(
            gw,
            Some(&w.tokens["admin"]),
            Method::GET,
            "/api/users",
            None,
        )
        .await;
        let spare = users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["name"] == "feeder")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let endpoints: Vec<(&str, Method, String, Option<Value>)> = vec![
            ("me", Method::GET, "/api/me".into(), None),
            ("projects.list", Method::GET, "/api/projects".into(), None),
            (
                "projects.create",
                Method::POST,
                "/api/projects".into(),
                Some(json!({"name": format!("x{}", rand()), "purpose": "human_review"})),
            ),
            (
                "project.read",
                Method::GET,
                format!("/api/projects/{}", w.project_a),
                None,
            ),
            (
                "project.update",
                Method::PUT,
                format!("/api/projects/{}", w.project_t),
                Some(json!({"spec": {}})),
            ),
            (
                "project.stats",
                Method::GET,
                format!("/api/projects/{}/stats", w.project_a),
                None,
            ),
            (
                "ingest",
                Method::POST,
                format!("/api/projects/{}/conversations", w.project_t),
                Some(conversation(
                    &format!("m{}", rand()),
                    "user-1",
                    "Boise",
                    30,
                    "",
                )),
            ),
            (
                "next",
                Method::POST,
                format!("/api/projects/{}/next", w.project_a),
                None,
            ),
            (
                "export",
                Method::GET,
                format!("/api/projects/{}/export", w.project_t),
                None,
            ),
            (
                "task.read",
                Method::GET,
                format!("/api/tasks/{t_any}"),
                None,
            ),
            (
                "task.rate",
                Method::POST,
                format!("/api/tasks/{t_any}/rating"),
                Some(json!({"rating": 1})),
            ),
            (
                "task.flag",
                Method::POST,
                format!("/api/tasks/{t_any}/flags"),
                Some(json!({"message": 0, "start": 0, "end": 2})),
            ),
            (
                "task.skip",
                Method::POST,
                format!("/api/tasks/{t_any}/skip"),
                None,
            ),
            ("users.list", Method::GET, "/api/users".into(), None),
            (
                "users.create",
                Method::POST,
                "/api/users".into(),
                Some(json!({"name": format!("n{}", rand()), "role": "reviewer"})),
            ),
            (
                "users.update",
                Method::PATCH,
                format!("/api/users/{spare}"),
                Some(json!({"clearances": []})),
            ),
            ("audit.read", Method::GET, "/api/audit".into(), None),
            (
                "audit.verify",
                Method::POST,
                "/api/audit/verify".into(),
                None,
            ),
            ("alerts", Method::GET, "/api/alerts".into(), None),
            ("approvals", Method::GET, "/api/approvals".into(), None),
            (
                "approval.decide",
                Method::POST,
                "/api/approvals/a_nonesuch/reject".into(),
                None,
            ),
            (
                "text.analyze",
                Method::POST,
                "/analyze".into(),
                Some(json!({"text": "I'm Hailey, hailey@gmail.com", "language": "en"})),
            ),
            (
                "text.anonymize",
                Method::POST,
                "/anonymize".into(),
                Some(json!({"text": "I'm Hailey", "analyzer_results": [
                    {"entity_type": "PERSON", "start": 4, "end": 10, "score": 0.9}]})),
            ),
            (
                "text.deanonymize",
                Method::POST,
                "/deanonymize".into(),
                Some(json!({"text": "x", "anonymizer_results": [], "deanonymizers": {}})),
            ),
        ];
        // Allowed (2xx) per role; everything else must be 403 (401 for nobody).
        let allowed: BTreeMap<&str, Vec<&str>> = BTreeMap::from([
            (
                "admin",
                vec![
                    "me",
                    "projects.list",
                    "projects.create",
                    "project.read",
                    "project.update",
                    "users.list",
                    "users.create",
                    "users.update",
                    "approvals",
                ],
            ),
            (
                "privacy_officer",
                vec![
                    "me",
                    "projects.list",
                    "projects.create",
                    "project.read",
                    "project.update",
                    "project.stats",
                    "audit.read",
                    "audit.verify",
                    "alerts",
                    "approvals",
                ],
            ),
            (
                "reviewer",
                vec!["me", "projects.list", "project.read", "next"],
            ),
            ("reviewer_b", vec!["me", "projects.list"]),
            ("ingest", vec!["me", "projects.list", "ingest"]),
            ("trainer", vec!["me", "projects.list", "export"]),
            (
                "redactor",
                vec![
                    "me",
                    "projects.list",
                    "text.analyze",
                    "text.anonymize",
                    "text.deanonymize",
                ],
            ),
        ]);
        for (role, ok) in &allowed {
            let token = w.tokens[role].clone();
            for (name, method, path, body) in &endpoints {
                let (s, v) = call(gw, Some(&token), method.clone(), path, fresh(body)).await;
                if *role == "privacy_officer" && *name == "approval.decide" {
                    assert_eq!(s, StatusCode::NOT_FOUND, "{role} {name}: {v}");
                } else if ok.contains(name) {
                    assert!(
                        s.is_success()
                            || (*name == "ingest" && s == StatusCode::UNPROCESSABLE_ENTITY),
                        "{role} {name}: {s} {v}"
                    );
                } else {
                    assert_eq!(s, StatusCode::FORBIDDEN, "{role} {name}: {v}");
                }
            }
        }
        for (name, method, path, body) in &endpoints {
            let (s, _) = call(gw, None, method.clone(), path, body.clone()).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED, "anonymous {name}");
            let (s, _) = call(gw, Some("scrim_forged"), method.clone(), path, body.clone()).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED, "forged token {name}");
        }
        // A reviewer's project list holds only their projects.
        let (_, list) = call(gw, Some(&rita), Method::GET, "/api/projects", None).await;
        assert_eq!(list.as_array().unwrap().len(), 1);

        // The audit log: no content, every denial there, chain intact.
        let (s, log) = call(gw, Some(&po), Method::GET, "/api/audit?limit=1000", None).await;
        assert_eq!(s, StatusCode::OK);
        let text = log.to_string();
        for raw in ["Hailey", "gmail", "555-01", "Boise", "therapist", "user-0"] {
            assert!(!text.contains(raw), "audit holds {raw}");
        }
        assert!(log
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["decision"] == "deny:forbidden" && e["actor"] == "rita"));
        assert!(log
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["decision"] == "deny:unauthenticated"));
        assert!(log
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "task.read"
                && e["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f == "profile:place")));
        let (_, v) = call(gw, Some(&po), Method::POST, "/api/audit/verify", None).await;
        assert_eq!(v["ok"], true, "{v}");
        let _ = &w.project_b;
    }
}

/// A body with its unique fields (names, ids) made new, so that repeated calls do not clash.
fn fresh(body: &Option<Value>) -> Option<Value> {
    let mut b = body.clone()?;
    for key in ["name", "id"] {
        if let Some(v) = b.get(key).and_then(Value::as_str) {
            let v = format!("{}{}", v.trim_end_matches(char::is_numeric), rand());
            b[key] = json!(v);
        }
    }
    Some(b)
}

fn rand() -> u64 {
    let mut b = [0u8; 8];
    getrandom::getrandom(&mut b).unwrap();
    u64::from_le_bytes(b)
}

#[tokio::test]
async fn tampering_with_any_audit_entry_is_detected() {
    for pg in backends() {
        let tmp = tempfile::tempdir().unwrap();
        let w = world(pg.as_deref(), tmp.path()).await;
        let gw = &w.gw;
        for _ in 0..5 {
            call(
                gw,
                Some(&w.tokens["reviewer"]),
                Method::GET,
                "/api/audit",
                None,
            )
            .await;
        }
        let pool = gw.store().pool().clone();
        let key = gw.audit_key().clone();
        let v = scrim_server::audit::verify(&pool, &key).await.unwrap();
        assert!(v.ok(), "{v:?}");
        let n = v.entries;
        assert!(n > 10);
        // Edit one entry's decision.
        sqlx::query("UPDATE audit SET decision = 'tampered' WHERE seq = 5")
            .execute(&pool)
            .await
            .unwrap();
        let v = scrim_server::audit::verify(&pool, &key).await.unwrap();
        assert_eq!(v.problems.first().map(|p| p.0), Some(5), "{v:?}");
        assert!(v.problems[0].1.contains("altered"));
        // An edit that no longer parses is caught too: an entry that revealed no fields must not
        // read back as unchanged.
        let empty: i64 =
            sqlx::query("SELECT seq FROM audit WHERE fields = '[]' ORDER BY seq LIMIT 1")
                .fetch_one(&pool)
                .await
                .and_then(|r| sqlx::Row::try_get(&r, 0))
                .unwrap();
        sqlx::query(&format!(
            "UPDATE audit SET fields = 'not json' WHERE seq = {empty}"
        ))
        .execute(&pool)
        .await
        .unwrap();
        let v = scrim_server::audit::verify(&pool, &key).await.unwrap();
        assert!(
            v.problems
                .iter()
                .any(|p| p.0 == empty && p.1.contains("altered")),
            "{v:?}"
        );
        sqlx::query(&format!(
            "UPDATE audit SET fields = '[]' WHERE seq = {empty}"
        ))
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query(
            "UPDATE audit SET decision = (SELECT decision FROM audit WHERE seq = 6) WHERE seq = 5",
        )
        .execute(&pool)
        .await
        .unwrap();
        // Delete one in the middle.
        let tmp_row = scrim_server::audit::search(
            &pool,
            &scrim_server::audit::Query {
                limit: Some(1000),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let _ = tmp_row;
        sqlx::query("DELETE FROM audit WHERE seq = 7")
            .execute(&pool)
            .await
            .unwrap();
        let v = scrim_server::audit::verify(&pool, &key).await.unwrap();
        assert!(
            v.problems
                .iter()
                .any(|p| p.0 == 8 && p.1.contains("missing")),
            "{v:?}"
        );
        // Cut off the end.
        sqlx::query(&format!("DELETE FROM audit WHERE seq = {n}"))
            .execute(&pool)
            .await
            .unwrap();
        let v = scrim_server::audit::verify(&pool, &key).await.unwrap();
        assert!(v.problems.iter().any(|p| p.1.contains("cut off")), "{v:?}");
        // Swap two entries' contents (reordering).
        let tmp2 = tempfile::tempdir().unwrap();
        let w2 = world(pg.as_deref(), tmp2.path()).await;
        let pool2 = w2.gw.store().pool().clone();
        let key2 = w2.gw.audit_key().clone();
        sqlx::query("UPDATE audit SET seq = -1 WHERE seq = 2")
            .execute(&pool2)
            .await
            .unwrap();
        sqlx::query("UPDATE audit SET seq = 2 WHERE seq = 3")
            .execute(&pool2)
            .await
            .unwrap();
        sqlx::query("UPDATE audit SET seq = 3 WHERE seq = -1")
            .execute(&pool2)
            .await
            .unwrap();
        let v = scrim_server::audit::verify(&pool2, &key2).await.unwrap();
        assert!(v.problems.iter().any(|p| p.0 == 2), "{v:?}");
        // Without the key, a forger cannot produce a valid chain: recomputing with a wrong key fails.
        let wrong = SecretKey::random().unwrap();
        assert!(!scrim_server::audit::verify(&pool, &wrong)
            .await
            .unwrap()
            .ok());
    }
}

#[tokio::test]
async fn reading_faster_than_a_human_is_refused_and_raised() {
    let tmp = tempfile::tempdir().unwrap();
    let w = world_with(None, tmp.path(), 3).await;
    let gw = &w.gw;
    let (s, r) = call(
        gw,
        Some(&w.tokens["ingest"]),
        Method::POST,
        &format!("/api/projects/{}/conversations", w.project_a),
        Some(conversation("c1", "user-1", "Boise", 30, "")),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let rita = w.tokens["reviewer"].clone();
    let (s, t) = call(
        gw,
        Some(&rita),
        Method::POST,
        &format!("/api/projects/{}/next", w.project_a),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let id = t["id"].as_str().unwrap().to_string();
    let mut codes = Vec::new();
    for _ in 0..4 {
        codes.push(
            call(
                gw,
                Some(&rita),
                Method::GET,
                &format!("/api/tasks/{id}"),
                None,
            )
            .await
            .0,
        );
    }
    assert_eq!(
        codes,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    let (_, alerts) = call(
        gw,
        Some(&w.tokens["privacy_officer"]),
        Method::GET,
        "/api/alerts",
        None,
    )
    .await;
    // (The world's set-up raised approval alerts too.)
    let alerts: Vec<&Value> = alerts
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "reading_pace")
        .collect();
    assert_eq!(
        alerts.len(),
        1,
        "one alert a minute per reviewer: {alerts:?}"
    );
    assert_eq!(alerts[0]["actor"], "rita");
    let (_, log) = call(
        gw,
        Some(&w.tokens["privacy_officer"]),
        Method::GET,
        "/api/audit?decision=deny",
        None,
    )
    .await;
    assert_eq!(
        log.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["decision"] == "deny:rate_limited")
            .count(),
        2
    );
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_name_and_raise_an_alert() {
    let tmp = tempfile::tempdir().unwrap();
    let w = world(None, tmp.path()).await;
    let gw = &w.gw;
    let pool = gw.store().pool().clone();
    auth::create_user(
        &pool,
        "lena",
        Role::Reviewer,
        Some("a very long password"),
        &[],
        &[],
    )
    .await
    .unwrap();
    let login = |pw: &str| json!({"name": "lena", "password": pw});
    let (s, _) = call(
        gw,
        None,
        Method::POST,
        "/api/login",
        Some(login("a very long password")),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    for _ in 0..scrim_server::MAX_FAILED_LOGINS {
        let (s, _) = call(
            gw,
            None,
            Method::POST,
            "/api/login",
            Some(login("guess guess guess")),
        )
        .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    // Locked now, even with the right password.
    let (s, _) = call(
        gw,
        None,
        Method::POST,
        "/api/login",
        Some(login("a very long password")),
    )
    .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    let (_, alerts) = call(
        gw,
        Some(&w.tokens["privacy_officer"]),
        Method::GET,
        "/api/alerts",
        None,
    )
    .await;
    assert!(
        alerts
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["kind"] == "failed_logins"),
        "{alerts}"
    );
}

#[test]
fn every_route_is_in_the_openapi_description() {
    let spec = scrim_server::OPENAPI;
    for path in [
        "/api/health",
        "/api/login",
        "/api/logout",
        "/api/me",
        "/api/projects",
        "/api/projects/{id}",
        "/api/projects/{id}/stats",
        "/api/projects/{id}/conversations",
        "/api/projects/{id}/next",
        "/api/projects/{id}/export",
        "/api/tasks/{id}",
        "/api/tasks/{id}/rating",
        "/api/tasks/{id}/flags",
        "/api/tasks/{id}/skip",
        "/api/users",
        "/api/audit",
        "/api/audit/verify",
        "/api/alerts",
        "/api/approvals",
        "/api/approvals/{id}/approve",
        "/api/approvals/{id}/reject",
        "/analyze",
        "/anonymize",
        "/deanonymize",
        "/health",
        "/supportedentities",
        "/recognizers",
        "/anonymizers",
        "/deanonymizers",
    ] {
        assert!(
            spec.contains(&format!("\n  {path}:\n")),
            "{path} is not described in openapi.yaml"
        );
    }
}

#[tokio::test]
async fn disabling_a_user_revokes_their_tokens() {
    let tmp = tempfile::tempdir().unwrap();
    let w = world(None, tmp.path()).await;
    let gw = &w.gw;
    let rita = w.tokens["reviewer"].clone();
    let (s, me) = call(gw, Some(&rita), Method::GET, "/api/me", None).await;
    assert_eq!(s, StatusCode::OK);
    let id = me["id"].as_str().unwrap().to_string();
    let (s, r) = call(
        gw,
        Some(&w.tokens["admin"]),
        Method::PATCH,
        &format!("/api/users/{id}"),
        Some(json!({"disabled": true})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["changed"], json!(["disabled"]));
    let (s, _) = call(gw, Some(&rita), Method::GET, "/api/me", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = call(
        gw,
        Some(&w.tokens["admin"]),
        Method::PATCH,
        "/api/users/u_nobody",
        Some(json!({"disabled": true})),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = call(
        gw,
        Some(&w.tokens["admin"]),
        Method::PATCH,
        &format!("/api/users/{id}"),
        Some(json!({"clearances": ["astrology"]})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_gateways_on_one_store_keep_one_unbroken_chain() {
    for pg in backends() {
        let tmp = tempfile::tempdir().unwrap();
        let w = world(pg.as_deref(), tmp.path()).await;
        // A second writer on the same database (its own pool), with the same audit key.
        let url = match &pg {
            None => tmp.path().join("gw.db").display().to_string(),
            Some(_) => {
                let b = w.gw.store().describe().to_string();
                // The described URL hides the password; the test cluster uses none.
                b.replace(":***@", "@")
            }
        };
        let other = Store::open(&url).await.unwrap();
        let gw1 = Arc::clone(&w.gw);
        let token = w.tokens["reviewer"].clone();
        let mut handles = Vec::new();
        for _ in 0..4 {
            let gw = Arc::clone(&gw1);
            let t = token.clone();
            handles.push(tokio::spawn(async move {
                for _ in 0..50 {
                    let (s, _) = call(&gw, Some(&t), Method::GET, "/api/audit", None).await;
                    assert_eq!(s, StatusCode::FORBIDDEN);
                }
            }));
        }
        // Meanwhile another writer appends through its own connections, as a second process would.
        let pool = other.pool().clone();
        let key = w.gw.audit_key().clone();
        let writer = tokio::spawn(async move {
            for i in 0..50 {
                let e = scrim_server::audit::Entry {
                    actor: format!("other-{i}"),
                    role: "cli".into(),
                    project: None,
                    purpose: None,
                    action: "user.manage".into(),
                    record: None,
                    fields: vec![],
                    decision: "allow".into(),
                };
                let mut ok = false;
                for _ in 0..20 {
                    if scrim_server::audit::append_batch(&pool, &key, std::slice::from_ref(&e))
                        .await
                        .is_ok()
                    {
                        ok = true;
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
                }
                assert!(ok, "append kept failing");
            }
        });
        for h in handles {
            h.await.unwrap();
        }
        writer.await.unwrap();
        let v = scrim_server::audit::verify(w.gw.store().pool(), w.gw.audit_key())
            .await
            .unwrap();
        assert!(v.ok(), "{v:?}");
        assert!(v.entries >= 250, "{}", v.entries);
    }
}

#[tokio::test]
async fn users_change_their_own_password() {
    let tmp = tempfile::tempdir().unwrap();
    let w = world(None, tmp.path()).await;
    let gw = &w.gw;
    let pool = gw.store().pool().clone();
    auth::create_user(
        &pool,
        "omar",
        Role::Reviewer,
        Some("first long password"),
        &[],
        &[],
    )
    .await
    .unwrap();
    let (s, r) = call(
        gw,
        None,
        Method::POST,
        "/api/login",
        Some(json!({"name": "omar", "password": "first long password"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let token = r["token"].as_str().unwrap().to_string();
    let change = |cur: &str, new: &str| Some(json!({"current": cur, "new": new}));
    let (s, _) = call(
        gw,
        Some(&token),
        Method::POST,
        "/api/me/password",
        change("wrong password!!", "second long password"),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = call(
        gw,
        Some(&token),
        Method::POST,
        "/api/me/password",
        change("first long password", "short"),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = call(
        gw,
        Some(&token),
        Method::POST,
        "/api/me/password",
        change("first long password", "second long password"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = call(
        gw,
        None,
        Method::POST,
        "/api/login",
        Some(json!({"name": "omar", "password": "first long password"})),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = call(
        gw,
        None,
        Method::POST,
        "/api/login",
        Some(json!({"name": "omar", "password": "second long password"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
}

/// The views of every task of a project but `except`, as stored.
async fn stored_views(gw: &Arc<Gateway>, project: &str, except: &str) -> Vec<String> {
    let rows = sqlx::query("SELECT view FROM tasks WHERE project_id = $1 AND id <> $2")
        .bind(project)
        .bind(except)
        .fetch_all(gw.store().pool())
        .await
        .unwrap();
    rows.iter()
        .map(|r| sqlx::Row::try_get::<String, _>(r, 0).unwrap())
        .collect()
}

/// The code-point range of the first `needle` after byte `from` in `text`.
fn cp_range(text: &str, needle: &str, from: usize) -> (usize, usize) {
    let at = from + text[from..].find(needle).unwrap();
    let start = text[..at].chars().count();
    (start, start + needle.chars().count())
}

#[tokio::test]
async fn a_short_flag_never_corrupts_other_tasks_nor_placeholders() {
    for pg in backends() {
        let tmp = tempfile::tempdir().unwrap();
        let w = world(pg.as_deref(), tmp.path()).await;
        let gw = &w.gw;
        let ing = w.tokens["ingest"].clone();
        let extra = "Say hi to this person at Zorblax.";
        for i in 0..3 {
            let (s, r) = call(
                gw,
                Some(&ing),
                Method::POST,
                &format!("/api/projects/{}/conversations", w.project_a),
                Some(conversation(
                    &format!("f{i}"),
                    &format!("user-{i}"),
                    "Boise",
                    31,
                    extra,
                )),
            )
            .await;
            assert_eq!(s, StatusCode::CREATED, "{r}");
        }
        let rita = w.tokens["reviewer"].clone();
        let (s, task) = call(
            gw,
            Some(&rita),
            Method::POST,
            &format!("/api/projects/{}/next", w.project_a),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{task}");
        let id = task["id"].as_str().unwrap().to_string();
        let content = task["messages"][0]["content"].as_str().unwrap().to_string();
        assert!(content.contains("[PERSON_1]"), "{content}");
        let say = content.find("Say hi").unwrap();
        // A two-letter flag hides the selection in this task only.
        let (start, end) = cp_range(&content, "hi", say);
        let (s, flagged) = call(
            gw,
            Some(&rita),
            Method::POST,
            &format!("/api/tasks/{id}/flags"),
            Some(json!({"message": 0, "start": start, "end": end})),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{flagged}");
        assert!(flagged["messages"][0]["content"]
            .as_str()
            .unwrap()
            .contains("Say [FLAGGED] to this person"));
        for v in stored_views(gw, &w.project_a, &id).await {
            assert!(v.contains("Say hi to this person"), "{v}");
            assert!(!v.contains("t[FLAGGED]s"), "{v}");
        }
        // A longer flag reaches every waiting task, on word boundaries, never inside a
        // placeholder ("person" is not "[PERSON_1]").
        let content = flagged["messages"][0]["content"]
            .as_str()
            .unwrap()
            .to_string();
        let (start, end) = cp_range(&content, "person", content.find("Say").unwrap());
        let (s, flagged) = call(
            gw,
            Some(&rita),
            Method::POST,
            &format!("/api/tasks/{id}/flags"),
            Some(json!({"message": 0, "start": start, "end": end})),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{flagged}");
        // A selection that cuts a placeholder is refused.
        let p = content.find("[PERSON_1]").unwrap();
        let ps = content[..p].chars().count();
        let (s, _) = call(
            gw,
            Some(&rita),
            Method::POST,
            &format!("/api/tasks/{id}/flags"),
            Some(json!({"message": 0, "start": ps + 1, "end": ps + 7})),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        // A later ingest: the same.
        let (s, _) = call(
            gw,
            Some(&ing),
            Method::POST,
            &format!("/api/projects/{}/conversations", w.project_a),
            Some(conversation(
                "f9",
                "user-9",
                "Boise",
                31,
                "Persons, personal: a person.",
            )),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED);
        let views = stored_views(gw, &w.project_a, &id).await;
        assert_eq!(views.len(), 3);
        for v in &views {
            assert!(v.contains("[PERSON_1]"), "{v}");
            assert!(!v.contains("[[FLAGGED]"), "{v}");
        }
        let later = views.iter().find(|v| v.contains("Persons")).unwrap();
        assert!(later.contains("Persons, personal: a [FLAGGED]."), "{later}");
        assert!(views
            .iter()
            .filter(|v| !v.contains("Persons"))
            .all(|v| v.contains("Say hi to this [FLAGGED] at ")));
    }
}

#[tokio::test]
async fn reviewers_see_no_raw_role_free_form_fact_or_attachment_name() {
    let tmp = tempfile::tempdir().unwrap();
    let w = world(None, tmp.path()).await;
    let gw = &w.gw;
    let po = w.tokens["privacy_officer"].clone();
    let spec = json!({"profile": {"other": ["bio"], "gender": true, "k": 5}, "images": true});
    let (pid, token) = project_with_reviewer(&w, "Bios", spec, "bea").await;
    let example: Value = serde_json::from_str(JPEG_WITH_GPS.lines().next().unwrap()).unwrap();
    // Five subjects share a bio holding an e-mail address (k = 5 alone would show it), five a
    // harmless one; the gender of one carries a phone number.
    for i in 0..10 {
        let bio = if i < 5 {
            "write to zed.quill@gmail.com"
        } else {
            "loves hiking"
        };
        let mut attachment = example["attachments"][0].clone();
        attachment["filename"] = json!("quill_passport_scan.jpg");
        attachment["caption"] = json!("Zed Quill at home");
        let (s, r) = call(
            gw,
            Some(&w.tokens["ingest"]),
            Method::POST,
            &format!("/api/projects/{pid}/conversations"),
            Some(json!({
                "id": format!("b{i}"), "subject": format!("bio-{i}"), "source": "ai_chat",
                "messages": [
                    {"role": "Zed Quill", "content": "hello there"},
                    {"role": "assistant", "content": "hi"}
                ],
                "profile": {"bio": bio, "gender": if i == 0 { "call 208-555-0199" } else { "female" }},
                "attachments": [attachment],
            })),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
    }
    let mut seen = Vec::new();
    loop {
        let (s, t) = next_task(gw, &token, &pid).await;
        if s == StatusCode::NO_CONTENT {
            break;
        }
        assert_eq!(s, StatusCode::OK, "{t}");
        let text = t.to_string();
        for raw in [
            "Zed", "Quill", "gmail", "passport", "555-0199", "filename", "caption",
        ] {
            assert!(!text.contains(raw), "reviewer saw {raw}: {text}");
        }
        assert_eq!(t["messages"][0]["role"], "other", "{text}");
        assert!(t["attachments"][0]["data"].is_string(), "{text}");
        seen.push(t["profile"].clone());
        let id = t["id"].as_str().unwrap().to_string();
        call(
            gw,
            Some(&token),
            Method::POST,
            &format!("/api/tasks/{id}/skip"),
            None,
        )
        .await;
    }
    assert_eq!(seen.len(), 10);
    // The harmless bio is still shown (5 subjects share it).
    assert!(
        seen.iter().any(|p| p["other"]["bio"] == "loves hiking"),
        "{seen:?}"
    );
    let (_, log) = call(gw, Some(&po), Method::GET, "/api/audit?limit=1000", None).await;
    let text = log.to_string();
    assert!(!text.contains("Zed") && !text.contains("Quill"), "{text}");
    assert!(text.contains("messages:other"), "{text}");
}

#[tokio::test]
async fn an_admin_alone_cannot_grant_access_or_weaken_a_project() {
    for pg in backends() {
        let tmp = tempfile::tempdir().unwrap();
        let w = world(pg.as_deref(), tmp.path()).await;
        let gw = &w.gw;
        let admin = w.tokens["admin"].clone();
        let po = w.tokens["privacy_officer"].clone();
        let pw = "a long enough password";
        // A reviewer with a project and a clearance: proposed, no token, cannot sign in.
        let (s, u) = call(
            gw,
            Some(&admin),
            Method::POST,
            "/api/users",
            Some(json!({"name": "ravi", "role": "reviewer", "password": pw,
                        "projects": [w.project_a], "clearances": ["health"]})),
        )
        .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{u}");
        assert!(u.get("token").is_none(), "{u}");
        let approval = u["approval"]["id"].as_str().unwrap().to_string();
        let (s, _) = call(
            gw,
            None,
            Method::POST,
            "/api/login",
            Some(json!({"name": "ravi", "password": pw})),
        )
        .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "no sign-in before approval");
        // The admin can neither approve nor enable the pending account.
        let (s, _) = call(
            gw,
            Some(&admin),
            Method::POST,
            &format!("/api/approvals/{approval}/approve"),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let ravi_id = u["id"].as_str().unwrap().to_string();
        let (s, r) = call(
            gw,
            Some(&admin),
            Method::PATCH,
            &format!("/api/users/{ravi_id}"),
            Some(json!({"disabled": false})),
        )
        .await;
        assert_eq!(s, StatusCode::CONFLICT, "{r}");
        // The privacy officer sees what is asked and why, and approves; the token goes to them.
        let (s, list) = call(
            gw,
            Some(&po),
            Method::GET,
            "/api/approvals?status=pending",
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{list}");
        let mine = list
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == approval.as_str())
            .unwrap();
        assert_eq!(mine["kind"], "user.create");
        assert_eq!(mine["change"]["clearances"], json!(["health"]));
        assert!(!mine.to_string().contains(pw));
        let (s, ok) = call(
            gw,
            Some(&po),
            Method::POST,
            &format!("/api/approvals/{approval}/approve"),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{ok}");
        let ravi = ok["token"].as_str().unwrap().to_string();
        let (s, me) = call(gw, Some(&ravi), Method::GET, "/api/me", None).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(me["clearances"], json!(["health"]));
        let (s, _) = call(
            gw,
            None,
            Method::POST,
            "/api/login",
            Some(json!({"name": "ravi", "password": pw})),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "signs in once approved");
        let (s, _) = call(
            gw,
            Some(&po),
            Method::POST,
            &format!("/api/approvals/{approval}/approve"),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::CONFLICT, "decided once");
        // Privacy officers and admins are privileged too; a reviewer without projects is not.
        for role in ["privacy_officer", "admin", "trainer"] {
            let (s, u) = call(
                gw,
                Some(&admin),
                Method::POST,
                "/api/users",
                Some(json!({"name": format!("x-{role}"), "role": role})),
            )
            .await;
            assert_eq!(s, StatusCode::ACCEPTED, "{role}: {u}");
        }
        let (s, u) = call(
            gw,
            Some(&admin),
            Method::POST,
            "/api/users",
            Some(json!({"name": "newbie", "role": "reviewer"})),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{u}");
        let newbie = u["id"].as_str().unwrap().to_string();
        // Granting a project or a clearance later, or setting a privileged user's password,
        // waits for approval; taking access away does not.
        let (s, r) = call(
            gw,
            Some(&admin),
            Method::PATCH,
            &format!("/api/users/{newbie}"),
            Some(json!({"projects": [w.project_a]})),
        )
        .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{r}");
        let rita_id = call(
            gw,
            Some(&w.tokens["reviewer"]),
            Method::GET,
            "/api/me",
            None,
        )
        .await
        .1["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (s, r) = call(
            gw,
            Some(&admin),
            Method::PATCH,
            &format!("/api/users/{rita_id}"),
            Some(json!({"password": "admin knows this one"})),
        )
        .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{r}");
        let (s, _) = call(
            gw,
            None,
            Method::POST,
            "/api/login",
            Some(json!({"name": "rita", "password": "admin knows this one"})),
        )
        .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, r) = call(
            gw,
            Some(&admin),
            Method::PATCH,
            &format!("/api/users/{rita_id}"),
            Some(json!({"clearances": ["health"]})),
        )
        .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{r}");
        let (_, me) = call(
            gw,
            Some(&w.tokens["reviewer"]),
            Method::GET,
            "/api/me",
            None,
        )
        .await;
        assert_eq!(me["clearances"], json!([]), "not before approval");
        let (s, r) = call(
            gw,
            Some(&admin),
            Method::PATCH,
            &format!("/api/users/{ravi_id}"),
            Some(json!({"clearances": []})),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{r}");
        // A rejected account is gone, its name free again.
        let (s, u) = call(
            gw,
            Some(&admin),
            Method::POST,
            "/api/users",
            Some(json!({"name": "rex", "role": "reviewer", "projects": [w.project_a]})),
        )
        .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{u}");
        let rex = u["approval"]["id"].as_str().unwrap().to_string();
        let (s, _) = call(
            gw,
            Some(&po),
            Method::POST,
            &format!("/api/approvals/{rex}/reject"),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        let (_, users) = call(gw, Some(&admin), Method::GET, "/api/users", None).await;
        assert!(!users.to_string().contains("\"rex\""), "{users}");
        // k has a floor; weakening a project's view waits for approval, strengthening does not.
        let (s, r) = call(
            gw,
            Some(&admin),
            Method::PUT,
            &format!("/api/projects/{}", w.project_a),
            Some(json!({"spec": {"turns": "all", "profile": {"place": "region", "age": "band10", "gender": true, "k": 1},
                                  "sensitive": {"health": "route"}}})),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{r}");
        let (s, r) = call(
            gw,
            Some(&po),
            Method::PUT,
            &format!("/api/projects/{}", w.project_a),
            Some(json!({"spec": {"profile": {"k": 2}}})),
        )
        .await;
        assert_eq!(
            s,
            StatusCode::BAD_REQUEST,
            "the floor holds for officers too: {r}"
        );
        let exact = json!({"spec": {"turns": "all", "profile": {"place": "city", "age": "exact", "gender": true, "k": 5},
                                    "sensitive": {"health": "route"}}});
        let (s, r) = call(
            gw,
            Some(&admin),
            Method::PUT,
            &format!("/api/projects/{}", w.project_a),
            Some(exact.clone()),
        )
        .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{r}");
        let spec_approval = r["approval"]["id"].as_str().unwrap().to_string();
        let mut reasons: Vec<String> = r["approval"]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect();
        reasons.sort();
        assert_eq!(reasons, ["age_finer", "place_finer"]);
        let (_, p) = call(
            gw,
            Some(&admin),
            Method::GET,
            &format!("/api/projects/{}", w.project_a),
            None,
        )
        .await;
        assert_eq!(
            p["spec"]["profile"]["age"], "band10",
            "unchanged before approval"
        );
        let (s, _) = call(
            gw,
            Some(&po),
            Method::POST,
            &format!("/api/approvals/{spec_approval}/approve"),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        let (_, p) = call(
            gw,
            Some(&admin),
            Method::GET,
            &format!("/api/projects/{}", w.project_a),
            None,
        )
        .await;
        assert_eq!(p["spec"]["profile"]["age"], "exact");
        let (s, r) = call(
            gw,
            Some(&admin),
            Method::PUT,
            &format!("/api/projects/{}", w.project_a),
            Some(json!({"spec": {"turns": "user", "profile": {"place": "country", "k": 20}}})),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "stronger applies at once: {r}");
        // An admin's new project starts at the protective default; what it shows beyond that waits.
        let (s, r) = call(
            gw,
            Some(&admin),
            Method::POST,
            "/api/projects",
            Some(json!({"name": "Wide", "purpose": "human_review",
                        "spec": {"profile": {"place": "city", "k": 5}, "images": true}})),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
        assert_eq!(r["spec"]["images"], false, "{r}");
        assert!(r["spec"]["profile"]["place"].is_null(), "{r}");
        assert!(r["approval"]["id"].is_string(), "{r}");
        // Audited and raised.
        let (_, alerts) = call(gw, Some(&po), Method::GET, "/api/alerts", None).await;
        let kinds: Vec<&str> = alerts
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["kind"].as_str().unwrap())
            .collect();
        assert!(kinds.contains(&"approval_requested"), "{alerts}");
        assert!(kinds.contains(&"approval_granted"), "{alerts}");
        let (_, log) = call(
            gw,
            Some(&po),
            Method::GET,
            "/api/audit?action=approval.decide",
            None,
        )
        .await;
        assert!(log.as_array().unwrap().len() >= 3, "{log}");
        let (_, v) = call(gw, Some(&po), Method::POST, "/api/audit/verify", None).await;
        assert_eq!(v["ok"], true, "{v}");
    }
}

/// Send a prepared request; the status, headers and JSON (or text) body.
async fn send(gw: &Arc<Gateway>, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let resp = router(Arc::clone(gw)).oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let v = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, headers, v)
}

fn login_from(client: &str, name: &str, password: &str) -> Request<Body> {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/login")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"name": name, "password": password}).to_string(),
        ))
        .unwrap();
    let addr: std::net::SocketAddr = format!("{client}:40000").parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    req
}

#[tokio::test]
async fn sign_in_memory_is_bounded_and_clients_are_limited() {
    let tmp = tempfile::tempdir().unwrap();
    let settings = Settings {
        sign_in_capacity: 3,
        sign_ins_per_client: 2,
        ..Settings::default()
    };
    let w = world_settings(None, tmp.path(), settings).await;
    let gw = &w.gw;
    // A megabyte name never reaches the lookup: the body is refused.
    let big = "n".repeat(1 << 20);
    let (s, _) = call(
        gw,
        None,
        Method::POST,
        "/api/login",
        Some(json!({"name": big, "password": "whatever whatever"})),
    )
    .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    // Names and passwords longer than any that can be set: refused before lookup, not tracked.
    for (name, pw) in [
        ("n".repeat(65), "whatever whatever".to_string()),
        ("lena".to_string(), "p".repeat(1025)),
    ] {
        let (s, _) = call(
            gw,
            None,
            Method::POST,
            "/api/login",
            Some(json!({"name": name, "password": pw})),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
    }
    assert_eq!(gw.sign_ins_tracked().unwrap(), (0, 0));
    // Failures under many names: no more than the capacity is kept.
    for i in 0..5 {
        let (s, _) = call(
            gw,
            None,
            Method::POST,
            "/api/login",
            Some(json!({"name": format!("nobody{i}"), "password": "wrong password!!"})),
        )
        .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    assert!(gw.sign_ins_tracked().unwrap().0 <= 3);
    // One client address, whatever names it tries, is refused past its own limit.
    for name in ["alpha", "beta"] {
        let (s, _, _) = send(gw, login_from("192.0.2.1", name, "wrong password!!")).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let (s, _, _) = send(gw, login_from("192.0.2.1", "gamma", "wrong password!!")).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    let (s, _, _) = send(gw, login_from("192.0.2.2", "gamma", "wrong password!!")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(gw.sign_ins_tracked().unwrap().1 <= 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_guesses_get_no_more_checks_than_the_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let w = world(None, tmp.path()).await;
    let pool = w.gw.store().pool().clone();
    auth::create_user(
        &pool,
        "lena",
        Role::Reviewer,
        Some("a very long password"),
        &[],
        &[],
    )
    .await
    .unwrap();
    let mut guesses = Vec::new();
    for i in 0..60 {
        let gw = Arc::clone(&w.gw);
        guesses.push(tokio::spawn(async move {
            call(
                &gw,
                None,
                Method::POST,
                "/api/login",
                Some(json!({"name": "lena", "password": format!("guess number {i}")})),
            )
            .await
            .0
        }));
    }
    let mut checked = 0;
    let mut refused = 0;
    for g in guesses {
        match g.await.unwrap() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(
        (checked, refused),
        (
            scrim_server::MAX_FAILED_LOGINS,
            60 - scrim_server::MAX_FAILED_LOGINS
        )
    );
    let (_, alerts) = call(
        &w.gw,
        Some(&w.tokens["privacy_officer"]),
        Method::GET,
        "/api/alerts",
        None,
    )
    .await;
    let raised = alerts
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "failed_logins")
        .count();
    assert_eq!(raised, 1, "{alerts}");
}

#[tokio::test]
async fn a_new_password_ends_sessions_and_api_tokens() {
    let tmp = tempfile::tempdir().unwrap();
    let w = world(None, tmp.path()).await;
    let gw = &w.gw;
    let pool = gw.store().pool().clone();
    let id = auth::create_user(
        &pool,
        "omar",
        Role::Reviewer,
        Some("first long password"),
        &[],
        &[],
    )
    .await
    .unwrap();
    let api = auth::issue_token(&pool, &id, "api", None).await.unwrap();
    let mut sessions = Vec::new();
    for _ in 0..2 {
        let (s, r) = call(
            gw,
            None,
            Method::POST,
            "/api/login",
            Some(json!({"name": "omar", "password": "first long password"})),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        sessions.push(r["token"].as_str().unwrap().to_string());
    }
    let me = |t: String| async move { call(gw, Some(&t), Method::GET, "/api/me", None).await.0 };
    // Their own change: the session making it stays, the other session and the API token end.
    let (s, _) = call(
        gw,
        Some(&sessions[0]),
        Method::POST,
        "/api/me/password",
        Some(json!({"current": "first long password", "new": "second long password"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me(sessions[0].clone()).await, StatusCode::OK);
    assert_eq!(me(sessions[1].clone()).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(api.clone()).await, StatusCode::UNAUTHORIZED);
    // An admin's reset ends every session and token, the remaining one included.
    let api = auth::issue_token(&pool, &id, "api", None).await.unwrap();
    let (s, r) = call(
        gw,
        Some(&w.tokens["admin"]),
        Method::PATCH,
        &format!("/api/users/{id}"),
        Some(json!({"password": "third long password"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["changed"], json!(["password", "tokens"]));
    assert_eq!(me(sessions[0].clone()).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(api).await, StatusCode::UNAUTHORIZED);
    let (s, _) = call(
        gw,
        None,
        Method::POST,
        "/api/login",
        Some(json!({"name": "omar", "password": "third long password"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
}

fn with_cookie(method: Method, path: &str, cookie: &str, origin: Option<&str>) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "review.example:8443")
        .header("cookie", format!("theme=dark; {cookie}"));
    if let Some(o) = origin {
        b = b.header("origin", o);
    }
    b.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn cookie_writes_need_the_same_origin_and_answers_are_not_cached() {
    let tmp = tempfile::tempdir().unwrap();
    let settings = Settings {
        secure_cookies: true,
        ..Settings::default()
    };
    let w = world_settings(None, tmp.path(), settings).await;
    let gw = &w.gw;
    let pool = gw.store().pool().clone();
    auth::create_user(
        &pool,
        "omar",
        Role::Reviewer,
        Some("first long password"),
        std::slice::from_ref(&w.project_a),
        &[],
    )
    .await
    .unwrap();
    let (s, headers, _) = send(
        gw,
        Request::builder()
            .method(Method::POST)
            .uri("/api/login")
            .header("content-type", "application/json")
            .body(Body::from(
                json!({"name": "omar", "password": "first long password"}).to_string(),
            ))
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(headers["cache-control"], "no-store");
    let set = headers["set-cookie"].to_str().unwrap().to_string();
    assert!(
        set.contains("; HttpOnly") && set.contains("; Secure") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_string();
    // Bodyless state changes on the cookie alone: refused without the console's own origin.
    let next = format!("/api/projects/{}/next", w.project_a);
    for origin in [None, Some("https://evil.example"), Some("null")] {
        for path in ["/api/logout", next.as_str()] {
            let (s, h, _) = send(gw, with_cookie(Method::POST, path, &cookie, origin)).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{path} from {origin:?}");
            assert_eq!(h["cache-control"], "no-store");
        }
    }
    let (s, _, _) = send(gw, with_cookie(Method::GET, "/api/me", &cookie, None)).await;
    assert_eq!(
        s,
        StatusCode::OK,
        "the session survived the forged sign-out"
    );
    let same = Some("https://review.example:8443");
    let (s, _, _) = send(gw, with_cookie(Method::POST, &next, &cookie, same)).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, h, _) = send(gw, with_cookie(Method::POST, "/api/logout", &cookie, same)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(h["set-cookie"].to_str().unwrap().contains("; Secure"));
    let (s, h, _) = send(gw, with_cookie(Method::GET, "/api/me", &cookie, None)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(h["cache-control"], "no-store");
    // A bearer token is never sent by a browser on its own: no origin needed.
    let (s, _) = call(
        gw,
        Some(&w.tokens["privacy_officer"]),
        Method::POST,
        "/api/audit/verify",
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (_, h, _) = send(
        gw,
        Request::builder()
            .uri("/api/health")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(h["cache-control"], "no-store");
    let (_, log) = call(
        gw,
        Some(&w.tokens["privacy_officer"]),
        Method::GET,
        "/api/audit?decision=deny:cross_origin",
        None,
    )
    .await;
    assert_eq!(log.as_array().unwrap().len(), 6, "{log}");
}

/// Wait until `f` holds, yielding to the runtime meanwhile.
async fn until(mut f: impl FnMut() -> bool) {
    while !f() {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
}

// A current-thread runtime: an ingest redacting on the only worker would keep health waiting.
#[tokio::test]
async fn ingests_wait_and_redact_off_the_async_workers_within_limits() {
    let tmp = tempfile::tempdir().unwrap();
    let settings = Settings {
        redactions: 1,
        redaction_budget: std::time::Duration::from_secs(3600),
        ingest_max_bytes: 64 * 1024,
        ..Settings::default()
    };
    let w = world_settings(None, tmp.path(), settings).await;
    let gw = &w.gw;
    let ingest = format!("/api/projects/{}/conversations", w.project_a);
    // Every redaction slot taken: two ingests wait for one, and the gateway still answers.
    let held = gw.redaction_slots().acquire_many_owned(1).await.unwrap();
    let mut waiting = Vec::new();
    for i in 0..2 {
        let gw = Arc::clone(gw);
        let token = w.tokens["ingest"].clone();
        let path = ingest.clone();
        waiting.push(tokio::spawn(async move {
            call(
                &gw,
                Some(&token),
                Method::POST,
                &path,
                Some(conversation(
                    &format!("c{i}"),
                    &format!("u{i}"),
                    "Boise",
                    30,
                    "",
                )),
            )
            .await
        }));
    }
    until(|| gw.redactions_in_flight() == 2).await;
    let (s, _) = call(gw, None, Method::GET, "/api/health", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(gw.redactions_in_flight(), 2);
    assert!(waiting.iter().all(|h| !h.is_finished()));
    drop(held);
    for h in waiting {
        let (s, r) = h.await.unwrap();
        assert_eq!(s, StatusCode::CREATED, "{r}");
    }
    assert_eq!(gw.redactions_in_flight(), 0);
    // A body past the configured limit is refused before it is read whole.
    let long = "word ".repeat(14_000);
    let (s, _) = call(
        gw,
        Some(&w.tokens["ingest"]),
        Method::POST,
        &ingest,
        Some(conversation("big", "u9", "Boise", 30, &long)),
    )
    .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    // No slot within the time budget: answered 503 and audited, nothing stored.
    let tmp2 = tempfile::tempdir().unwrap();
    let settings = Settings {
        redactions: 1,
        redaction_budget: std::time::Duration::from_millis(50),
        ..Settings::default()
    };
    let w2 = world_settings(None, tmp2.path(), settings).await;
    let held = w2.gw.redaction_slots().acquire_many_owned(1).await.unwrap();
    let (s, r) = call(
        &w2.gw,
        Some(&w2.tokens["ingest"]),
        Method::POST,
        &format!("/api/projects/{}/conversations", w2.project_a),
        Some(conversation("c1", "u1", "Boise", 30, "")),
    )
    .await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{r}");
    drop(held);
    let (_, log) = call(
        &w2.gw,
        Some(&w2.tokens["privacy_officer"]),
        Method::GET,
        "/api/audit?decision=deny:busy",
        None,
    )
    .await;
    assert_eq!(log.as_array().unwrap().len(), 1, "{log}");
    let (_, stats) = call(
        &w2.gw,
        Some(&w2.tokens["privacy_officer"]),
        Method::GET,
        &format!("/api/projects/{}/stats", w2.project_a),
        None,
    )
    .await;
    assert_eq!(stats["tasks"], json!({}), "{stats}");
}

#[tokio::test]
async fn a_wiped_or_rolled_back_audit_log_does_not_verify() {
    for pg in backends() {
        let tmp = tempfile::tempdir().unwrap();
        // A store that was never used verifies: its genesis anchor stands for an empty log.
        let bare_dir = tmp.path().join("bare");
        std::fs::create_dir(&bare_dir).unwrap();
        let bare = open_store(&bare_dir, pg.as_deref()).await;
        let v = scrim_server::audit::verify(bare.pool(), &SecretKey::random().unwrap())
            .await
            .unwrap();
        assert!(v.ok() && v.entries == 0, "{v:?}");
        let ring = Keyring::from_keys(vec![SecretKey::random().unwrap()]).unwrap();
        let file = tmp.path().join("checkpoints.jsonl");
        let settings = Settings {
            audit_checkpoints: Some(file.clone()),
            audit_checkpoint_every: 5,
            ..Settings::default()
        };
        let w = world_ring(pg.as_deref(), tmp.path(), settings, &ring).await;
        let gw = &w.gw;
        let pool = gw.store().pool().clone();
        let key = gw.audit_key().clone();
        let checkpoints = scrim_server::audit::Checkpoints::new(&file, &ring, 0).unwrap();
        let r = sqlx::query("SELECT seq, head, mac FROM audit_anchor")
            .fetch_one(&pool)
            .await
            .unwrap();
        let old: (i64, String, String) = (
            sqlx::Row::try_get(&r, 0).unwrap(),
            sqlx::Row::try_get(&r, 1).unwrap(),
            sqlx::Row::try_get(&r, 2).unwrap(),
        );
        for _ in 0..12 {
            call(
                gw,
                Some(&w.tokens["reviewer"]),
                Method::GET,
                "/api/audit",
                None,
            )
            .await;
        }
        gw.checkpoint_audit().await.unwrap();
        let mut v = scrim_server::audit::verify(&pool, &key).await.unwrap();
        scrim_server::audit::verify_checkpoints(&pool, &checkpoints, &mut v)
            .await
            .unwrap();
        assert!(v.ok(), "{v:?}");
        // Every five entries, and when asked.
        assert!(v.checkpoints >= 3, "{v:?}");
        // Put the older log-and-anchor pair back: the chain alone cannot tell ...
        sqlx::query("DELETE FROM audit WHERE seq > $1")
            .bind(old.0)
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_anchor SET seq = $1, head = $2, mac = $3")
            .bind(old.0)
            .bind(&old.1)
            .bind(&old.2)
            .execute(&pool)
            .await
            .unwrap();
        let mut v = scrim_server::audit::verify(&pool, &key).await.unwrap();
        assert!(v.ok(), "{v:?}");
        // ... the checkpoints kept outside the database do.
        scrim_server::audit::verify_checkpoints(&pool, &checkpoints, &mut v)
            .await
            .unwrap();
        assert!(
            v.problems.iter().any(|p| p.1.contains("rolled back")),
            "{v:?}"
        );
        // A forged or edited checkpoint shows too.
        let text = std::fs::read_to_string(&file).unwrap();
        let first = text.lines().next().unwrap();
        let mut c: Value = serde_json::from_str(first).unwrap();
        c["seq"] = json!(c["seq"].as_i64().unwrap() - 1);
        std::fs::write(&file, format!("{c}\n{text}")).unwrap();
        let mut v = scrim_server::audit::Verification {
            entries: 0,
            problems: vec![],
            checkpoints: 0,
        };
        scrim_server::audit::verify_checkpoints(&pool, &checkpoints, &mut v)
            .await
            .unwrap();
        assert!(
            v.problems
                .iter()
                .any(|p| p.1 == "checkpoint line 1 was altered"),
            "{v:?}"
        );
        // Wipe the log and its anchor: no longer "intact: 0 entries".
        sqlx::query("DELETE FROM audit")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM audit_anchor")
            .execute(&pool)
            .await
            .unwrap();
        let v = scrim_server::audit::verify(&pool, &key).await.unwrap();
        assert!(
            v.problems.iter().any(|p| p.1.contains("anchor is missing")),
            "{v:?}"
        );
        // Put a genesis back: an empty log where the store shows activity is refused.
        sqlx::query(
            "INSERT INTO audit_anchor (id, seq, head, mac) VALUES (1, 0, 'genesis', 'genesis')",
        )
        .execute(&pool)
        .await
        .unwrap();
        let v = scrim_server::audit::verify(&pool, &key).await.unwrap();
        assert!(
            v.problems
                .iter()
                .any(|p| p.1.contains("empty but the store holds")),
            "{v:?}"
        );
    }
}

#[tokio::test]
async fn rejected_bodies_get_json_errors_that_repeat_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let w = world(None, tmp.path()).await;
    let gw = &w.gw;
    let admin = w.tokens["admin"].clone();
    // A value of the wrong kind, a body that is not JSON, and no JSON content type.
    let (s, v) = call(
        gw,
        Some(&admin),
        Method::POST,
        "/api/users",
        Some(json!({"name": "x", "role": "jane.doe@example.com"})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"], "invalid_body", "{v}");
    assert!(!v.to_string().contains("jane.doe"), "{v}");
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/login")
        .header("content-type", "application/json")
        .body(Body::from("{\"name\": \"jane.doe@example.com"))
        .unwrap();
    let (s, _, v) = send(gw, req).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"], "bad_request", "{v}");
    assert!(!v.to_string().contains("jane.doe"), "{v}");
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/login")
        .body(Body::from("name=jane.doe@example.com"))
        .unwrap();
    let (s, _, v) = send(gw, req).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(v["error"], "unsupported_media_type", "{v}");
}

#[tokio::test]
async fn opt_out_and_forget_reach_the_review_gateway() {
    for pg in backends() {
        let tmp = tempfile::tempdir().unwrap();
        let w = world(pg.as_deref(), tmp.path()).await;
        let gw = &w.gw;
        let b = gw.store().describe().to_string();
        let tom = add_user(
            gw,
            &w.tokens["admin"],
            &w.tokens["privacy_officer"],
            json!({"name": "tom", "role": "reviewer", "projects": [w.project_t]}),
        )
        .await;
        // Two conversations per subject in the training project.
        let mut task_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for round in 0..2 {
            for subject in ["keeper", "leaver", "forgotten"] {
                let (s, r) = call(
                    gw,
                    Some(&w.tokens["ingest"]),
                    Method::POST,
                    &format!("/api/projects/{}/conversations", w.project_t),
                    Some(conversation(
                        &format!("{subject}-{round}"),
                        subject,
                        "Boise",
                        33,
                        "",
                    )),
                )
                .await;
                assert_eq!(s, StatusCode::CREATED, "{b}: {r}");
                task_of
                    .entry(subject.to_string())
                    .or_default()
                    .push(r["task"].as_str().unwrap().to_string());
            }
        }
        // Tom reviews the first round (oldest first).
        for subject in ["keeper", "leaver", "forgotten"] {
            let (s, t) = call(
                gw,
                Some(&tom),
                Method::POST,
                &format!("/api/projects/{}/next", w.project_t),
                None,
            )
            .await;
            assert_eq!(s, StatusCode::OK, "{b}: {t}");
            assert_eq!(t["id"], task_of[subject][0], "{b}");
            let (s, r) = call(
                gw,
                Some(&tom),
                Method::POST,
                &format!("/api/tasks/{}/rating", task_of[subject][0]),
                Some(json!({"rating": 1})),
            )
            .await;
            assert_eq!(s, StatusCode::OK, "{b}: {r}");
        }
        // One subject opts out, one is forgotten: recorded outside the gateway, as the CLI
        // does, by a store that never saw the subjects (no lineage link yet).
        gw.store().opt_out("leaver", "pia").await.unwrap();
        let f = gw.store().forget("forgotten", "pia").await.unwrap();
        assert!(!f.subject_linked, "{b}: the gateway never linked them");

        // Export: only the keeper's rated task, and the audit entry names it.
        let (s, body) = call(
            gw,
            Some(&w.tokens["trainer"]),
            Method::GET,
            &format!("/api/projects/{}/export", w.project_t),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{b}: {body}");
        // One line parses as JSON on its own; more stay text.
        let text = match &body {
            Value::String(t) => t.clone(),
            v => v.to_string(),
        };
        let exported: Vec<String> = text
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["task"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(exported, vec![task_of["keeper"][0].clone()], "{b}");
        let pool = gw.store().pool().clone();
        let fields: String = sqlx::query_scalar(
            "SELECT fields FROM audit WHERE action = 'dataset.export' ORDER BY seq DESC LIMIT 1",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        let fields: Vec<String> = serde_json::from_str(&fields).unwrap();
        assert!(
            fields.contains(&format!("task:{}", task_of["keeper"][0])),
            "{b}: {fields:?}"
        );
        assert!(
            !fields.iter().any(|f| f.contains(&task_of["leaver"][0])),
            "{b}: {fields:?}"
        );

        // Next serves the keeper's second task and nothing of the others.
        let (s, t) = call(
            gw,
            Some(&tom),
            Method::POST,
            &format!("/api/projects/{}/next", w.project_t),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{b}: {t}");
        assert_eq!(t["id"], task_of["keeper"][1], "{b}");
        let (s, _) = call(
            gw,
            Some(&tom),
            Method::POST,
            &format!("/api/tasks/{}/rating", task_of["keeper"][1]),
            Some(json!({"rating": 2})),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, t) = call(
            gw,
            Some(&tom),
            Method::POST,
            &format!("/api/projects/{}/next", w.project_t),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{b}: {t}");
        // Reading: the keeper's task still, the leaver's refused (and audited), the forgotten
        // subject's gone.
        for (task, want) in [
            (&task_of["keeper"][0], StatusCode::OK),
            (&task_of["leaver"][0], StatusCode::FORBIDDEN),
            (&task_of["forgotten"][0], StatusCode::FORBIDDEN),
        ] {
            let (s, r) = call(
                gw,
                Some(&tom),
                Method::GET,
                &format!("/api/tasks/{task}"),
                None,
            )
            .await;
            assert_eq!(s, want, "{b}: {task}: {r}");
        }
        let denied: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit WHERE decision = 'deny:consent_withdrawn' AND record = $1",
        )
        .bind(&task_of["leaver"][0])
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(denied, 1, "{b}");
        // Forget deleted the subject's tasks, ratings and facts; the leaver's are kept, withheld.
        for (subject, want) in [("forgotten", 0i64), ("leaver", 2)] {
            let ids = &task_of[subject];
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE id = $1 OR id = $2")
                .bind(&ids[0])
                .bind(&ids[1])
                .fetch_one(&pool)
                .await
                .unwrap();
            assert_eq!(n, want, "{b}: {subject}");
        }
        let ratings: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ratings WHERE task_id = $1")
            .bind(&task_of["forgotten"][0])
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(ratings, 0, "{b}");
        // A second forget, now that the gateway linked the subject, reports what it holds; an
        // opt-out of a linked subject reports the tasks it withholds.
        let again = gw.store().opt_out("leaver", "pia").await.unwrap();
        assert!(again.subject_linked, "{b}");
        assert_eq!(again.review_tasks.len(), 1, "{b}: {again:?}");
        assert_eq!(again.review_tasks[0].tasks, 2, "{b}: {again:?}");
        assert!(!again.review_tasks_deleted, "{b}");
    }
}

#[tokio::test]
async fn identifying_profile_keys_are_never_facts() {
    // Every direct identifier of the shared vocabulary, among them the 18 keys the gateway once
    // took for free-form facts while the redactor replaced them (passport, date_of_birth, ...).
    let keys: Vec<&str> = scrim_core::profile::IDENTIFIERS
        .iter()
        .map(|(k, _)| *k)
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let w = world(None, tmp.path()).await;
    let gw = &w.gw;
    let po = w.tokens["privacy_officer"].clone();
    for key in &keys {
        let (s, body) = call(
            gw,
            Some(&po),
            Method::POST,
            "/api/projects",
            Some(
                json!({"name": format!("p-{key}"), "purpose": "human_review",
                        "spec": {"profile": {"other": [key], "k": 5}}}),
            ),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{key}: {body}");
        assert!(
            body["message"].as_str().unwrap().contains(key),
            "{key}: {body}"
        );
    }
    let spec = json!({"profile": {"other": ["hobbies"], "k": 5}});
    let (pid, token) = project_with_reviewer(&w, "Hobbies", spec, "hal").await;
    // Five subjects share every value, so k-anonymity alone would let any of them through.
    let mut profile = serde_json::Map::new();
    for (i, key) in keys.iter().enumerate() {
        profile.insert(key.to_string(), json!(format!("qvx{i}zzkw")));
    }
    profile.insert("hobbies".into(), json!("chess"));
    for i in 0..5 {
        let (s, r) = call(
            gw,
            Some(&w.tokens["ingest"]),
            Method::POST,
            &format!("/api/projects/{pid}/conversations"),
            Some(
                json!({"id": format!("h{i}"), "subject": format!("hob-{i}"), "source": "ai_chat",
                        "messages": [{"role": "user", "content": "hello there"}],
                        "profile": profile}),
            ),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
    }
    let (s, t) = next_task(gw, &token, &pid).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["profile"]["other"]["hobbies"], "chess", "{t}");
    let text = t.to_string();
    for (i, key) in keys.iter().enumerate() {
        assert!(
            !text.contains(&format!("qvx{i}zzkw")),
            "{key} shown: {text}"
        );
    }
}

/// Every handler answers through the audit guard: signing in, asking who one is and signing
/// out are audited like everything else (with no content).
#[tokio::test]
async fn sessions_are_audited_like_every_other_request() {
    let tmp = tempfile::tempdir().unwrap();
    let w = world(None, tmp.path()).await;
    let gw = &w.gw;
    let po = w.tokens["privacy_officer"].clone();
    auth::create_user(
        &gw.store().pool().clone(),
        "sana",
        Role::Reviewer,
        Some("a long enough password"),
        &[],
        &[],
    )
    .await
    .unwrap();
    let (s, r) = call(
        gw,
        None,
        Method::POST,
        "/api/login",
        Some(json!({"name": "sana", "password": "a long enough password"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let token = r["token"].as_str().unwrap().to_string();
    let (s, _) = call(gw, Some(&token), Method::GET, "/api/me", None).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = call(gw, Some(&token), Method::POST, "/api/logout", None).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = call(gw, Some(&token), Method::POST, "/api/logout", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "a session ends once");
    for action in ["session.login", "session.me", "session.logout"] {
        let (s, log) = call(
            gw,
            Some(&po),
            Method::GET,
            &format!("/api/audit?action={action}&actor=sana"),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        let entries = log.as_array().unwrap();
        assert_eq!(entries.len(), 1, "{action}: {log}");
        assert_eq!(entries[0]["decision"], "allow", "{action}");
        assert!(!log.to_string().contains("long enough"), "{action}");
    }
}
