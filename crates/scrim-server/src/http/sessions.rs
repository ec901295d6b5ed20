//! `/api/login`, `/api/logout`, `/api/me`, `/api/me/password`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{client_ip, Caller, Client};
use crate::authz::Principal;
use crate::error::Result;
use crate::service::{Audited, Gateway, SESSION_COOKIE};

#[derive(Deserialize)]
pub(super) struct LoginBody {
    name: String,
    password: String,
}

/// A principal as `/api/me` shows it.
pub(super) fn me_json(p: &Principal) -> Value {
    json!({"id": p.id, "name": p.name, "role": p.role.as_str(), "projects": p.projects, "clearances": p.clearances})
}

fn with_cookie(mut resp: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

pub(super) async fn login(
    State(gw): State<Arc<Gateway>>,
    client: Client,
    Json(b): Json<LoginBody>,
) -> Result<Audited<Response>> {
    let done = gw.login(&b.name, &b.password, client_ip(&client)).await?;
    let hours = gw.settings().session_hours;
    let secure = gw.secure();
    Ok(done.map(|(token, p)| {
        let cookie = format!(
            "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
            hours * 3600
        );
        with_cookie(
            Json(json!({"token": token, "user": me_json(&p)})).into_response(),
            &cookie,
        )
    }))
}

/// Sign out: the session's token ends (an API token is not a session and stays).
pub(super) async fn logout(caller: Caller) -> Result<Audited<Response>> {
    let done = caller.gw.logout(caller.token()).await?;
    let cookie = format!(
        "{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{}",
        caller.gw.secure()
    );
    Ok(done.with(with_cookie(
        Json(json!({"ok": true})).into_response(),
        &cookie,
    )))
}

pub(super) async fn me(caller: Caller) -> Result<Audited<Json<Value>>> {
    let done = caller.gw.me(caller.token()).await?;
    Ok(done.map(|p| Json(me_json(&p))))
}

#[derive(Deserialize)]
pub(super) struct PasswordChange {
    current: String,
    new: String,
}

/// Change one's own password (see [`Gateway`]'s `change_password`).
pub(super) async fn change_password(
    caller: Caller,
    client: Client,
    Json(b): Json<PasswordChange>,
) -> Result<Audited<Json<Value>>> {
    let done = caller
        .gw
        .change_password(caller.token(), &b.current, &b.new, client_ip(&client))
        .await?;
    Ok(done.with(Json(json!({"ok": true}))))
}
