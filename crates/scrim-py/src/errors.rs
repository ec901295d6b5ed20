//! The `ScrimError` hierarchy: every failure reaches Python as one of these, with a stable
//! `code` and a `position` (which argument, record, line and column), never content.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    scrim,
    ScrimError,
    PyException,
    "Base class of Scrim's errors. ``code`` is a stable identifier, ``position`` says where \
     (an argument, a record, a line and column); the message never quotes content."
);
create_exception!(
    scrim,
    PolicyError,
    ScrimError,
    "The policy is invalid (``position`` is ``line L, column C`` of its TOML, or the setting)."
);
create_exception!(
    scrim,
    ConfigError,
    ScrimError,
    "An argument of ``Redactor`` is invalid (``position`` names it): the key, tiers, threads, \
     the model."
);
create_exception!(
    scrim,
    RecordError,
    ScrimError,
    "A record cannot be handed to Scrim at all (not a dict, not representable as JSON); \
     ``position`` is ``record N``. Malformed records are not errors: they come back quarantined."
);
create_exception!(
    scrim,
    BatchError,
    ScrimError,
    "An Arrow batch cannot be redacted (no ``messages`` or ``text`` column, a reserved column \
     name, a column type with no JSON form)."
);
create_exception!(
    scrim,
    StoreError,
    ScrimError,
    "The governance store could not be opened or did not answer (``code`` ``store_unavailable`` \
     when it cannot be reached: retry later)."
);
create_exception!(
    scrim,
    DetectionError,
    ScrimError,
    "A detector could not read a text (``detect``); ``redact`` quarantines such records instead."
);

/// An exception of type `T` with its `code` and `position` set.
fn with<T: pyo3::PyTypeInfo>(code: &str, position: &str, message: &str) -> PyErr {
    Python::attach(|py| {
        let err = PyErr::new::<T, _>(format!("{message} [{code} at {position}]"));
        let value = err.value(py);
        // Setting attributes on a fresh exception instance does not fail; if it ever did, the
        // exception still says its code and position in its message.
        let _ = value.setattr("code", code);
        let _ = value.setattr("position", position);
        err
    })
}

/// A policy error from the core: its message starts with `line L, column C:` when TOML
/// parsing failed there.
pub(crate) fn policy_error(e: &scrim_core::Error) -> PyErr {
    let message = e.to_string();
    let detail = message.strip_prefix("policy: ").unwrap_or(&message);
    let position = detail
        .split_once(": ")
        .map(|(head, _)| head)
        .filter(|head| head.starts_with("line "))
        .unwrap_or("policy");
    with::<PolicyError>("invalid_policy", position, &message)
}

pub(crate) fn scrim_error(code: &str, position: &str, message: &str) -> PyErr {
    with::<ScrimError>(code, position, message)
}

pub(crate) fn config_error(code: &str, position: &str, message: &str) -> PyErr {
    with::<ConfigError>(code, position, message)
}

pub(crate) fn record_error(code: &str, position: &str, message: &str) -> PyErr {
    with::<RecordError>(code, position, message)
}

pub(crate) fn batch_error(code: &str, position: &str, message: &str) -> PyErr {
    with::<BatchError>(code, position, message)
}

pub(crate) fn detection_error(message: &str) -> PyErr {
    with::<DetectionError>("detection_failed", "text", message)
}

/// A store error: `store_unavailable` when the database cannot be reached (retry later), else
/// `store`.
pub(crate) fn store_error(e: &scrim_store::Error) -> PyErr {
    let code = if e.is_unavailable() {
        "store_unavailable"
    } else {
        "store"
    };
    with::<StoreError>(code, "store", &e.to_string())
}

/// The store could not be opened (the message names the store without any password).
pub(crate) fn store_open_error(message: &str) -> PyErr {
    with::<StoreError>("store_unavailable", "url", message)
}
