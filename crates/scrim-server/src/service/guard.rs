//! The guard every handler answers through: Cedar's yes ([`Allowed`]) turned into the audit
//! entry that goes with the answer ([`Audited`]). A handler's success type is `Audited<T>`, and
//! only this module makes one, after writing an entry (an allow entry from [`Allowed::audit`],
//! or a refusal or proposal through [`recorded`]), so a handler that skips the audit log does
//! not compile.

use axum::response::{IntoResponse, Response};

use super::{entry, Gateway};
use crate::audit::{Decision, Denial, Entry};
use crate::authz::{Action, Principal, Resource};
use crate::error::{Error, Result};

/// Cedar's yes to one request. A handler answers with [`Audited`], which only
/// [`Allowed::audit`] (the allow entry written) and a proposal (its pending entry written,
/// `approvals`) make: a handler that skips the audit log does not compile.
#[must_use = "answer through Allowed::audit: every allowed request is audited"]
pub(super) struct Allowed<'a> {
    who: &'a Principal,
    action: Action,
    what: Resource,
}

impl Allowed<'_> {
    /// The entry names `what` (say, the project an approved change landed on) where Cedar
    /// decided on the gateway as a whole.
    pub(super) fn naming(self, what: Resource) -> Self {
        Allowed { what, ..self }
    }

    /// Write the allow entry (naming `record` and the fields revealed).
    pub(super) async fn audit(
        &self,
        gw: &Gateway,
        record: Option<&str>,
        fields: Vec<String>,
    ) -> Result<Audited<()>> {
        gw.audit
            .record(entry(
                Some(self.who),
                &self.what,
                self.action,
                record,
                fields,
                Decision::Allow,
            ))
            .await?;
        Ok(Audited(()))
    }
}

/// An answer whose audit entry is written (see [`Allowed`]).
#[must_use = "an audited answer is meant to be returned"]
pub(crate) struct Audited<T>(T);

impl Audited<()> {
    /// The answer that goes with the entry.
    pub(crate) fn with<T>(self, answer: T) -> Audited<T> {
        Audited(answer)
    }
}

impl<T> Audited<T> {
    /// The answer (tests read what the service answers without an HTTP layer).
    #[cfg(test)]
    pub(crate) fn into_inner(self) -> T {
        self.0
    }

    /// The same entry with the answer made from this one.
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Audited<U> {
        Audited(f(self.0))
    }
}

impl<T, E> Audited<std::result::Result<T, E>> {
    /// The entry with an answer that could not be made: the error (the entry stays written).
    pub(crate) fn transpose(self) -> std::result::Result<Audited<T>, E> {
        self.0.map(Audited)
    }
}

impl<T: IntoResponse> IntoResponse for Audited<T> {
    fn into_response(self) -> Response {
        self.0.into_response()
    }
}

/// Write `e` (a refusal answered without an error, a proposal waiting for approval) and
/// answer `answer` with it.
pub(super) async fn recorded<T>(gw: &Gateway, e: Entry, answer: T) -> Result<Audited<T>> {
    gw.audit.record(e).await?;
    Ok(Audited(answer))
}

impl Gateway {
    /// Ask Cedar; a deny is audited and answered 403, a yes is what writes the allow entry
    /// ([`Allowed::audit`]).
    pub(super) async fn authorize<'a>(
        &self,
        who: &'a Principal,
        action: Action,
        what: Resource,
        record: Option<&str>,
    ) -> Result<Allowed<'a>> {
        if self.authz.allowed(who, action, &what) {
            return Ok(Allowed { who, action, what });
        }
        self.audit
            .record(entry(
                Some(who),
                &what,
                action,
                record,
                vec![],
                Decision::Deny(Denial::Forbidden),
            ))
            .await?;
        Err(Error::Forbidden)
    }

    /// A `session.*` action of a signed-in user on their own session, which the Cedar policies
    /// do not decide (see [`Action::decided`]).
    pub(super) fn own_session<'a>(
        &self,
        who: &'a Principal,
        action: Action,
    ) -> Result<Allowed<'a>> {
        if action.decided() {
            return Err(Error::Config(format!("{action} is decided by Cedar")));
        }
        Ok(Allowed {
            who,
            action,
            what: Resource::Gateway,
        })
    }

    /// A listing whose items Cedar allows one by one (the caller filters with
    /// [`crate::authz::Authz::allowed`]): what is answered is only what each item allows.
    pub(super) fn listing<'a>(&self, who: &'a Principal, action: Action) -> Allowed<'a> {
        Allowed {
            who,
            action,
            what: Resource::Gateway,
        }
    }
}
