//! The gateway's JSON request bodies, through the axum router in process.
//!
//! The body types are private to `scrim-server`, so each input is sent as the body of one
//! request to the real router (`tower::ServiceExt::oneshot`) over a temporary SQLite store set
//! up once per process: an admin, an ingest account, a privacy officer, a reviewer with a
//! project and a task, a user whose password may change and one whose account may be edited.
//!
//! Input layout: byte 0 picks the route (modulo the number of routes below), the rest is the
//! request body, sent as `application/json`.
//!
//! Invariants: nothing panics; no answer is a 5xx (bad input is the caller's error, 4xx). With `SCRIM_FUZZ_ECHO=strict` also: no 4xx answer repeats a string value of the
//! body that is 8 bytes or longer (errors name what and where, never the content).
//!
//! `SCRIM_FUZZ_TRACE=1` prints each request's route and status to stderr.
//!
//! The store's state grows from input to input (projects, users, tasks, flags), so a failure
//! may need the inputs before it to reproduce; the reproducer is usually enough on its own.

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use scrim_server::authz::Role;
use scrim_server::{auth, router, Gateway, Settings};
use scrim_store::{Governance, Keyring, SecretKey, Store};
use serde_json::{json, Value};
use tower::ServiceExt;

/// A signed-in caller of a route.
#[derive(Clone, Copy)]
enum Caller {
    Nobody,
    Admin,
    Ingest,
    Reviewer,
    PasswordUser,
    PrivacyOfficer,
}

struct World {
    rt: tokio::runtime::Runtime,
    gw: Arc<Gateway>,
    admin: String,
    ingest: String,
    reviewer: String,
    password_user: String,
    officer: String,
    /// (method, path, caller) of each route that takes a JSON body.
    routes: Vec<(Method, String, Caller)>,
    _dir: tempfile::TempDir,
}

async fn call(
    gw: &Arc<Gateway>,
    token: Option<&str>,
    method: Method,
    path: &str,
    body: Vec<u8>,
) -> (StatusCode, Vec<u8>) {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let req = req.body(Body::from(body)).expect("a request builds");
    let resp = router(Arc::clone(gw))
        .oneshot(req)
        .await
        .expect("the router answers");
    let status = resp.status();
    let bytes = resp
        .into_body()
        .collect()
        .await
        .expect("the body reads")
        .to_bytes();
    (status, bytes.to_vec())
}

async fn json_call(
    gw: &Arc<Gateway>,
    token: &str,
    method: Method,
    path: &str,
    body: Value,
) -> Value {
    let (status, bytes) = call(gw, Some(token), method, path, body.to_string().into_bytes()).await;
    assert!(status.is_success(), "set-up call {path} failed: {status}");
    serde_json::from_slice(&bytes).expect("set-up answers are JSON")
}

/// Sets the world up: the gateway, the callers' tokens (admin, ingest, reviewer, password user,
/// privacy officer), the routes, and the directory that holds the store.
async fn set_up() -> (
    Arc<Gateway>,
    [String; 5],
    Vec<(Method, String, Caller)>,
    tempfile::TempDir,
) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let gw = open_gateway(&dir).await;
    let (_, admin) = add_user(&gw, "root", Role::Admin, None, &[]).await;
    let (_, ingest) = add_user(&gw, "feeder", Role::Ingest, None, &[]).await;
    let password = Some("correct horse battery");
    let (_, password_user) = add_user(&gw, "pat", Role::Reviewer, password, &[]).await;
    let (_, officer) = add_user(&gw, "pia", Role::PrivacyOfficer, None, &[]).await;
    let password = Some("another long password");
    let (victim, _) = add_user(&gw, "vic", Role::Reviewer, password, &[]).await;
    let (pa, pu) = create_projects(&gw, &officer).await;
    // The reviewer is created in the project directly (as `scrim users add --project` does):
    // through the API that grant would wait for a privacy officer's approval.
    let member = std::slice::from_ref(&pa);
    let (_, reviewer) = add_user(&gw, "rita", Role::Reviewer, None, member).await;
    let task_id = claim_task(&gw, &ingest, &reviewer, &pa).await;
    let routes = routes(&pa, &pu, &task_id, &victim);
    (
        gw,
        [admin, ingest, reviewer, password_user, officer],
        routes,
        dir,
    )
}

/// A gateway over a new SQLite store in `dir`, with the default policies and no practical
/// limit on reviewer reads.
async fn open_gateway(dir: &tempfile::TempDir) -> Arc<Gateway> {
    let path = dir.path().join("fuzz.db");
    let store = Store::open(&path.display().to_string())
        .await
        .expect("the store opens");
    let ring = Keyring::from_keys(vec![SecretKey::random().expect("a key")]).expect("a keyring");
    let settings = Settings {
        reviewer_reads_per_minute: 1_000_000,
        ..Settings::default()
    };
    Gateway::new(
        store,
        &ring,
        Governance::default_policy().expect("the default governance policy"),
        scrim_core::Policy::default_policy().expect("the default policy"),
        settings,
    )
    .await
    .expect("the gateway starts")
}

/// Creates a user (in `projects`) and an API token for them: (user id, token).
async fn add_user(
    gw: &Arc<Gateway>,
    name: &str,
    role: Role,
    password: Option<&str>,
    projects: &[String],
) -> (String, String) {
    let pool = gw.store().pool();
    let id = auth::create_user(pool, name, role, password, projects, &[])
        .await
        .expect("a user");
    let token = auth::issue_token(pool, &id, "api", None)
        .await
        .expect("a token");
    (id, token)
}

/// A privacy officer sets the projects up (an admin's would wait for approval): one with tasks
/// and one whose spec the fuzzer updates. Returns their ids.
async fn create_projects(gw: &Arc<Gateway>, officer: &str) -> (String, String) {
    let spec = json!({"turns": "all", "profile": {"place": "region", "age": "band10", "gender": true, "k": 5},
                      "images": true, "sensitive": {"health": "route"}});
    let project = json_call(
        gw,
        officer,
        Method::POST,
        "/api/projects",
        json!({"name": "Fuzz", "purpose": "human_review", "spec": spec}),
    )
    .await;
    let pa = project["id"].as_str().expect("a project id").to_string();
    let other = json_call(
        gw,
        officer,
        Method::POST,
        "/api/projects",
        json!({"name": "Fuzz updates", "purpose": "human_review"}),
    )
    .await;
    let pu = other["id"].as_str().expect("a project id").to_string();
    (pa, pu)
}

/// Ingests three conversations into project `pa` and lets the reviewer claim the oldest
/// task; returns its id.
async fn claim_task(gw: &Arc<Gateway>, ingest: &str, reviewer: &str, pa: &str) -> String {
    let mut tasks = Vec::new();
    for i in 0..3 {
        let answer = json_call(gw, ingest, Method::POST, &format!("/api/projects/{pa}/conversations"),
            json!({"id": format!("c{i}"), "subject": format!("s{i}"), "source": "ai_chat",
                   "messages": [{"role": "user", "content": "hi, I'm Hailey Mills, call (208) 555-0101"},
                                {"role": "assistant", "content": "Happy to help, Hailey!"}],
                   "profile": {"first_name": "Hailey", "city": "Boise", "age": 31}})).await;
        tasks.push(answer["task"].as_str().expect("a task id").to_string());
    }
    // The oldest open task is now the reviewer's.
    let _ = json_call(
        gw,
        reviewer,
        Method::POST,
        &format!("/api/projects/{pa}/next"),
        json!({}),
    )
    .await;
    tasks.swap_remove(0)
}

/// The routes that take a JSON body, with their callers: `pa` is the project with tasks, `pu`
/// the one to update, `task_id` the reviewer's task and `victim` the user to edit.
fn routes(pa: &str, pu: &str, task_id: &str, victim: &str) -> Vec<(Method, String, Caller)> {
    vec![
        (Method::POST, "/api/login".to_string(), Caller::Nobody),
        (
            Method::POST,
            "/api/me/password".to_string(),
            Caller::PasswordUser,
        ),
        (Method::POST, "/api/projects".to_string(), Caller::Admin),
        (Method::PUT, format!("/api/projects/{pu}"), Caller::Admin),
        (
            Method::POST,
            format!("/api/projects/{pa}/conversations"),
            Caller::Ingest,
        ),
        (
            Method::POST,
            format!("/api/tasks/{task_id}/rating"),
            Caller::Reviewer,
        ),
        (
            Method::POST,
            format!("/api/tasks/{task_id}/flags"),
            Caller::Reviewer,
        ),
        (Method::POST, "/api/users".to_string(), Caller::Admin),
        (Method::PATCH, format!("/api/users/{victim}"), Caller::Admin),
        (
            Method::POST,
            format!("/api/projects/{pa}/next"),
            Caller::Reviewer,
        ),
        (Method::POST, "/api/logout".to_string(), Caller::Nobody),
        (
            Method::POST,
            "/api/audit/verify".to_string(),
            Caller::PrivacyOfficer,
        ),
    ]
}

/// Sets up the gateway, its store and its callers ahead of the first input (the fuzz target's
/// `init`), so that libFuzzer's per-input timeout does not count the one-off set-up.
pub fn init() {
    world();
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let (gw, [admin, ingest, reviewer, password_user, officer], routes, dir) =
            rt.block_on(set_up());
        World {
            rt,
            gw,
            admin,
            ingest,
            reviewer,
            password_user,
            officer,
            routes,
            _dir: dir,
        }
    })
}

/// String values of a JSON body, recursively (keys included).
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => {
            for (k, x) in o {
                out.push(k.clone());
                strings(x, out);
            }
        }
        _ => {}
    }
}

/// Send the body in `data` to the route its first byte picks and check the answer.
pub fn check(data: &[u8]) {
    let w = world();
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let (method, path, caller) = w.routes[usize::from(pick) % w.routes.len()].clone();
    let token = match caller {
        Caller::Nobody => None,
        Caller::Admin => Some(w.admin.as_str()),
        Caller::Ingest => Some(w.ingest.as_str()),
        Caller::Reviewer => Some(w.reviewer.as_str()),
        Caller::PasswordUser => Some(w.password_user.as_str()),
        Caller::PrivacyOfficer => Some(w.officer.as_str()),
    };
    let (status, answer) =
        w.rt.block_on(call(&w.gw, token, method.clone(), &path, body.to_vec()));
    if std::env::var_os("SCRIM_FUZZ_TRACE").is_some() {
        eprintln!(
            "{method} {path}: {status} {}",
            String::from_utf8_lossy(&answer)
        );
    }
    assert!(
        !status.is_server_error(),
        "{method} {} answered {status}: {}",
        path.split('/').take(3).collect::<Vec<_>>().join("/"),
        String::from_utf8_lossy(&answer)
    );
    if status.is_client_error() && crate::echo() == crate::Echo::Strict {
        let text = String::from_utf8_lossy(&answer);
        if let Ok(sent) = serde_json::from_slice::<Value>(body) {
            let mut values = Vec::new();
            strings(&sent, &mut values);
            for v in values.iter().filter(|v| v.len() >= 8) {
                assert!(
                    !text.contains(v.as_str()),
                    "a {status} answer repeats a value of the body: {text}"
                );
            }
        }
    }
}
