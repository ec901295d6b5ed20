//! Sessions: signing in (limited per name and per client, argon2 off the async workers),
//! signing out, who one is, and changing one's own password.

use std::time::Instant;

use super::{entry, poisoned, Audited, Gateway, MAX_FAILED_LOGINS};
use crate::audit::{Decision, Denial};
use crate::auth;
use crate::authz::{Action, Principal, Resource};
use crate::db;
use crate::error::{Error, Result};
use crate::throttle::{Refusal, Reservation};

/// Names and passwords are bounded before anything is looked up, counted or hashed.
pub(crate) fn bounded(name: &str, password: &str) -> Result<()> {
    if name.len() > auth::MAX_NAME_BYTES || password.len() > auth::MAX_PASSWORD_BYTES {
        return Err(Error::BadRequest(format!(
            "a user name has at most {} bytes and a password at most {}",
            auth::MAX_NAME_BYTES,
            auth::MAX_PASSWORD_BYTES
        )));
    }
    Ok(())
}

impl Gateway {
    /// The cookie attribute [`Settings::secure_cookies`] asks for.
    pub(crate) fn secure(&self) -> &'static str {
        if self.settings.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    }

    /// Check `name`'s password with the attempt counted first (so concurrent guesses cannot
    /// outrun the limit): the principal when it matches; refusals and failures are audited
    /// (as `action`), and the name's reaching the limit raises one alert.
    async fn check_sign_in(
        &self,
        name: &str,
        password: &str,
        client: Option<std::net::IpAddr>,
        action: Action,
        who: Option<&Principal>,
    ) -> Result<Option<Principal>> {
        let reservation = self.reserve_sign_in(name, client, action, who).await?;
        let found = auth::login(&self.pool, name, password).await;
        if !matches!(found, Ok(None)) {
            // A match, or no answer at all: the attempt does not count against the name.
            self.sign_ins
                .lock()
                .map_err(|_| poisoned())?
                .release(reservation);
            return found;
        }
        let raise = self
            .sign_ins
            .lock()
            .map_err(|_| poisoned())?
            .failed(reservation, Instant::now());
        if raise {
            let detail = format!(
                "{MAX_FAILED_LOGINS} failed sign-ins for one user name; locked for up to 15 minutes"
            );
            db::alerts::raise(&self.pool, "anonymous", "failed_logins", &detail).await?;
        }
        let e = entry(
            who,
            &Resource::Gateway,
            action,
            who.map(|w| w.name.as_str()),
            vec![],
            Decision::Deny(Denial::BadCredentials),
        );
        self.audit.record(e).await?;
        Ok(None)
    }

    /// Count the attempt before checking it; a locked name or a limited client is audited and
    /// answered 429.
    async fn reserve_sign_in(
        &self,
        name: &str,
        client: Option<std::net::IpAddr>,
        action: Action,
        who: Option<&Principal>,
    ) -> Result<Reservation> {
        let reserved =
            self.sign_ins
                .lock()
                .map_err(|_| poisoned())?
                .reserve(name, client, Instant::now());
        let refusal = match reserved {
            Ok(r) => return Ok(r),
            Err(refusal) => refusal,
        };
        let decision = match refusal {
            Refusal::NameLocked => Decision::Deny(Denial::Locked),
            Refusal::ClientLimited => Decision::Deny(Denial::RateLimited),
        };
        let e = entry(who, &Resource::Gateway, action, None, vec![], decision);
        self.audit.record(e).await?;
        Err(Error::TooMany)
    }
}

impl Gateway {
    /// Sign in: a new session token (shown once) and the principal.
    pub(crate) async fn login(
        &self,
        name: &str,
        password: &str,
        client: Option<std::net::IpAddr>,
    ) -> Result<Audited<(String, Principal)>> {
        bounded(name, password)?;
        let found = self
            .check_sign_in(name, password, client, Action::SessionLogin, None)
            .await?;
        let Some(p) = found else {
            return Err(Error::Unauthorized);
        };
        let hours = Some(self.settings.session_hours);
        let token = auth::issue_token(&self.pool, &p.id, "session", hours).await?;
        let done = self
            .own_session(&p, Action::SessionLogin)?
            .audit(self, Some(&p.name), vec![])
            .await?;
        Ok(done.with((token, p)))
    }

    /// Sign out: the session's token ends (an API token is not a session and stays).
    pub(crate) async fn logout(&self, token: Option<&str>) -> Result<Audited<()>> {
        let who = self.who(token, Action::SessionLogout).await?;
        if let Some(t) = token {
            db::users::end_session(&self.pool, &auth::token_hash(t)).await?;
        }
        self.own_session(&who, Action::SessionLogout)?
            .audit(self, None, vec![])
            .await
    }

    /// Who the caller is.
    pub(crate) async fn me(&self, token: Option<&str>) -> Result<Audited<Principal>> {
        let p = self.who(token, Action::SessionMe).await?;
        let done = self
            .own_session(&p, Action::SessionMe)?
            .audit(self, None, vec![])
            .await?;
        Ok(done.with(p))
    }

    /// Anyone signed in changes their own password by giving the current one (checked like a
    /// sign-in, under the same limits); their API tokens and other sessions end (the session
    /// making the change stays; an API token making it ends too).
    pub(crate) async fn change_password(
        &self,
        token: Option<&str>,
        current: &str,
        new: &str,
        client: Option<std::net::IpAddr>,
    ) -> Result<Audited<()>> {
        let who = self.who(token, Action::SessionPassword).await?;
        bounded(&who.name, current)?;
        let checked = self
            .check_sign_in(
                &who.name,
                current,
                client,
                Action::SessionPassword,
                Some(&who),
            )
            .await?;
        if checked.is_none() {
            return Err(Error::Forbidden);
        }
        let keep = token.map(auth::token_hash);
        auth::set_own_password(&self.pool, &who.id, new, keep.as_deref()).await?;
        self.own_session(&who, Action::SessionPassword)?
            .audit(
                self,
                Some(&who.name),
                vec!["password".into(), "tokens".into()],
            )
            .await
    }
}
